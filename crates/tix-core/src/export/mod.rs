//! What leaves the desk for people outside it: a customer's (or an
//! organisation's) history as a static site (`site.rs`, `tix export
//! customer`), one ticket's public thread as HTML, e-mail or JSON
//! (`ticket.rs`, `tix export ticket`). Both read HEAD through `store`,
//! pick the tickets with `query`, keep only the public thread
//! (`domain::public`) and draw with `render`; only these files write
//! outside the repository.

pub mod site;
pub mod ticket;
