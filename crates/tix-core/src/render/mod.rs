//! Pages and pictures for people outside the terminal: HTML pages (the
//! customer's history site, a ticket's public thread, report pages) and
//! the SVG charts in them. **Pure, like the domain and reports**: it
//! builds text from values handed to it and imports only `domain` and
//! `report`; reading the store and writing files is `export`'s. Every
//! piece of user data goes through [`html::escape`] (or the `svg`
//! crate's own escaping), and no page loads a script or anything from
//! outside its own folder.

pub mod chart;
pub mod html;
pub mod report;
pub mod site;
