//! The pure domain: ids, entries, folding entries into a ticket, config.
//! Nothing here touches the file system, git, the clock or the terminal.

pub mod assign;
pub mod automation;
pub mod availability;
pub mod channel;
pub mod config;
pub mod csat;
pub mod customers;
pub mod duration;
pub mod entry;
pub mod facts;
pub mod id;
pub mod names;
pub mod party;
pub mod public;
pub mod records;
pub mod sla;
pub mod task;
pub mod template;
pub mod ticket;
pub mod time;
pub mod twins;
pub mod view;
pub mod zone;

pub use channel::{Channel, Direction};
pub use config::{
    AfterImport, Agent, Assignment, AutoClose, AutoReply, BusinessHours, Config,
    DEFAULT_SENDMAIL_COMMAND, FieldDef, FieldType, Group, MailAccount, MailOutgoing, MailProtocol,
    Notify, OutgoingTransport, Role, SignedCommits, SlaAction, SlaCalendar, SlaConfig, SlaTarget,
    Stage, TlsMode, WeekHours,
};
pub use entry::{DeliveryStatus, Entry, Event, FieldValue, LinkRel, MailMeta, Priority, Status};
pub use facts::TicketFacts;
pub use id::TicketId;
pub use party::Party;
pub use task::{Due, Task};
pub use ticket::{Link, SplitFrom, StoredEntry, Ticket, TrailItem, fold, same_tag};
pub use time::Timestamp;
pub use view::TicketView;
