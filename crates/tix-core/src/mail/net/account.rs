//! A configured mail account as a [`RemoteMailbox`] for the fetch: the
//! POP3 and IMAP sessions behind one interface.

use std::path::Path;
use std::time::Duration;

use super::imap::ImapSession;
use super::pop3::Pop3Session;
use super::{ConnectOptions, Tls};
use crate::domain::{AfterImport, MailAccount, MailProtocol, TlsMode};
use crate::error::Result;
use crate::mail::fetch::{RemoteMailbox, RemoteMessage};

/// Connects and logs in to `account`'s server; for IMAP, selects its
/// folder (and creates the folder messages are moved to). `root` is where
/// a relative `ca_file` is found.
pub fn open_mailbox(
    account: &MailAccount,
    password: &str,
    root: &Path,
) -> Result<Box<dyn RemoteMailbox>> {
    let tls = match account.tls {
        TlsMode::Implicit => Tls::Implicit,
        TlsMode::Starttls => Tls::StartTls,
        TlsMode::Plain => Tls::Plain,
    };
    let mut options = ConnectOptions::new(account.host.clone(), account.port(), tls)
        .with_timeout(Duration::from_secs(account.timeout_secs()));
    if let Some(ca) = &account.ca_file {
        options = options.with_ca_file(root.join(ca));
    }
    let scheme = match (account.protocol, account.tls) {
        (MailProtocol::Pop3, TlsMode::Implicit) => "pop3s",
        (MailProtocol::Pop3, _) => "pop",
        (MailProtocol::Imap, TlsMode::Implicit) => "imaps",
        (MailProtocol::Imap, _) => "imap",
    };
    let mut place = format!("{scheme}://{}@{}", account.user, options.address());
    match account.protocol {
        MailProtocol::Pop3 => {
            let mut session = Pop3Session::connect(&options)?;
            session.login(&account.user, password)?;
            Ok(Box::new(Pop3Mailbox {
                session,
                place,
                delete: account.after_import == AfterImport::Delete,
            }))
        }
        MailProtocol::Imap => {
            let mut session = ImapSession::connect(&options)?;
            session.login(&account.user, password)?;
            let move_to = match account.after_import {
                AfterImport::Move => account.move_to.clone(),
                _ => None,
            };
            if let Some(folder) = &move_to {
                session.create_folder(folder)?;
            }
            let selected = session.select(&account.folder)?;
            place.push('/');
            place.push_str(&account.folder);
            Ok(Box::new(ImapMailbox {
                session,
                place,
                uid_validity: selected.uid_validity,
                move_to,
            }))
        }
    }
}

struct Pop3Mailbox {
    session: Pop3Session,
    place: String,
    delete: bool,
}

impl RemoteMailbox for Pop3Mailbox {
    fn describe(&self) -> String {
        self.place.clone()
    }

    fn messages(&mut self) -> Result<Vec<RemoteMessage>> {
        Ok(self
            .session
            .list()?
            .into_iter()
            .map(|m| RemoteMessage {
                key: m.uid,
                handle: m.number,
                size: m.size,
            })
            .collect())
    }

    fn retrieve(&mut self, message: &RemoteMessage) -> Result<Vec<u8>> {
        self.session.retrieve(message.handle)
    }

    fn remove(&mut self, message: &RemoteMessage) -> Result<()> {
        if self.delete {
            self.session.delete(message.handle)?;
        }
        Ok(())
    }

    fn finish(self: Box<Self>) -> Result<()> {
        self.session.quit()
    }
}

struct ImapMailbox {
    session: ImapSession,
    place: String,
    uid_validity: u32,
    /// Move instead of delete.
    move_to: Option<String>,
}

impl RemoteMailbox for ImapMailbox {
    fn describe(&self) -> String {
        self.place.clone()
    }

    fn messages(&mut self) -> Result<Vec<RemoteMessage>> {
        let validity = self.uid_validity;
        Ok(self
            .session
            .list_uids()?
            .into_iter()
            .map(|(uid, size)| RemoteMessage {
                key: format!("{validity}:{uid}"),
                handle: uid,
                size,
            })
            .collect())
    }

    fn retrieve(&mut self, message: &RemoteMessage) -> Result<Vec<u8>> {
        self.session.fetch(message.handle)
    }

    fn remove(&mut self, message: &RemoteMessage) -> Result<()> {
        match &self.move_to {
            Some(folder) => self.session.move_to(message.handle, folder),
            None => self.session.delete(message.handle),
        }
    }

    fn finish(self: Box<Self>) -> Result<()> {
        self.session.logout()
    }
}
