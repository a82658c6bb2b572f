//! One blocking connection to a mail server: TCP with timeouts, TLS from
//! the start or after STARTTLS, and bounded reads of lines and literals.
//!
//! Trust comes from the Mozilla roots compiled in by `webpki-roots` (the
//! same on every machine, and nothing to find at run time), plus an
//! optional PEM file of CA certificates for servers with a private CA.

use std::io::{self, Read, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::path::Path;
use std::sync::Arc;

use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName};
use rustls::{ClientConfig, ClientConnection, RootCertStore, StreamOwned};

use super::{ConnectOptions, printable};
use crate::error::{Error, ErrorKind, Result};

/// How the connection is protected.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tls {
    /// TLS from the first byte (POP3S on 995, IMAPS on 993).
    Implicit,
    /// Plain TCP upgraded with STLS (POP3) or STARTTLS (IMAP) before
    /// logging in; a server that does not offer it is an error, never a
    /// silent fall-back to plain text.
    StartTls,
    /// No TLS at all: the password crosses the network in the clear. Only
    /// for callers that were told so explicitly.
    Plain,
}

/// Makes ring the process-wide rustls crypto provider. Connections here do
/// not need it (they name their provider), but other rustls users in the
/// same process (lettre, for SMTP) look for a process default; `main`
/// calls this at start-up so there is exactly one. Calling it again, or
/// after someone else installed a provider, does nothing.
pub fn install_crypto_provider() {
    // An error only says a provider is already installed.
    let _ = rustls::crypto::ring::default_provider().install_default();
}

/// Bytes read from the socket at a time.
const READ_CHUNK: usize = 16 * 1024;

enum Stream {
    Plain(TcpStream),
    Tls(Box<StreamOwned<ClientConnection, TcpStream>>),
    /// After a failed STARTTLS upgrade, or after closing.
    Closed,
}

impl Read for Stream {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self {
            Stream::Plain(s) => s.read(buf),
            Stream::Tls(s) => s.read(buf),
            Stream::Closed => Err(io::ErrorKind::NotConnected.into()),
        }
    }
}

impl Write for Stream {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Stream::Plain(s) => s.write(buf),
            Stream::Tls(s) => s.write(buf),
            Stream::Closed => Err(io::ErrorKind::NotConnected.into()),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self {
            Stream::Plain(s) => s.flush(),
            Stream::Tls(s) => s.flush(),
            Stream::Closed => Err(io::ErrorKind::NotConnected.into()),
        }
    }
}

/// A connection with its own read buffer, so that lines and literals can
/// be read in bounded pieces. After any I/O or framing error it refuses
/// further use: the protocol state is unknown by then.
pub struct Connection {
    stream: Stream,
    /// Received, not yet consumed: `buf[pos..]`.
    buf: Vec<u8>,
    pos: usize,
    /// "POP3 server mail.example.org:995", to start error messages with.
    label: String,
    opts: ConnectOptions,
    broken: bool,
}

impl Connection {
    /// Connects to `opts.host:opts.port`, with TLS right away when the
    /// mode is [`Tls::Implicit`]. `protocol` names the server in errors.
    pub fn open(opts: &ConnectOptions, protocol: &str) -> Result<Connection> {
        let label = format!("{protocol} server {}", opts.address());
        if opts.timeout.is_zero() {
            return Err(Error::invalid(format!(
                "{label}: the timeout must be longer than zero"
            )));
        }
        // Built before connecting, so a bad CA file is reported as such
        // and not as a network failure.
        let tls_config = match opts.tls {
            Tls::Plain => None,
            Tls::Implicit | Tls::StartTls => Some(client_config(opts.ca_file.as_deref())?),
        };
        let tcp = connect_tcp(opts, &label)?;
        let mut conn = Connection {
            stream: Stream::Plain(tcp),
            buf: Vec::with_capacity(READ_CHUNK),
            pos: 0,
            label,
            opts: opts.clone(),
            broken: false,
        };
        if opts.tls == Tls::Implicit {
            conn.handshake(tls_config.expect("built for TLS modes"))?;
        }
        Ok(conn)
    }

    /// Switches to TLS after the server agreed to STARTTLS. Anything the
    /// server sent after its agreement would be plain text injected ahead
    /// of the encryption (the STARTTLS injection attack), so it is refused.
    pub fn start_tls(&mut self) -> Result<()> {
        self.check_usable()?;
        if self.is_tls() {
            return Err(self.fail("STARTTLS", "the connection already uses TLS".into()));
        }
        if self.pos < self.buf.len() {
            return Err(self.fail(
                "STARTTLS",
                "the server sent data before the TLS handshake; refusing to continue".into(),
            ));
        }
        let config = client_config(self.opts.ca_file.as_deref())?;
        self.handshake(config)
    }

    pub fn is_tls(&self) -> bool {
        matches!(self.stream, Stream::Tls(_))
    }

    /// "POP3 server host:port", for error messages.
    pub fn label(&self) -> &str {
        &self.label
    }

    pub fn options(&self) -> &ConnectOptions {
        &self.opts
    }

    /// Sends `bytes` and flushes. `what` names the command in errors, and
    /// must not contain a password.
    pub fn send(&mut self, bytes: &[u8], what: &str) -> Result<()> {
        self.check_usable()?;
        let sent = self
            .stream
            .write_all(bytes)
            .and_then(|()| self.stream.flush());
        sent.map_err(|e| self.fail_io(&format!("sending {what}"), &e))
    }

    /// Reads one line, without its line ending (CRLF, or a bare LF from a
    /// sloppy server). A line longer than `max_len` bytes is an error.
    pub fn read_line(&mut self, max_len: usize, what: &str) -> Result<Vec<u8>> {
        match self.read_line_within(max_len, what)? {
            Some(line) => Ok(line),
            None => Err(self.fail(
                what,
                format!("the server sent a line longer than {max_len} bytes"),
            )),
        }
    }

    /// Like [`Connection::read_line`], with None for a line longer than
    /// `max_len`, so the caller can say which limit was hit. The
    /// connection is unusable after None.
    pub fn read_line_within(&mut self, max_len: usize, what: &str) -> Result<Option<Vec<u8>>> {
        self.check_usable()?;
        let mut scanned = 0;
        loop {
            let unread = &self.buf[self.pos..];
            if let Some(i) = unread[scanned..].iter().position(|&b| b == b'\n') {
                let end = scanned + i;
                let content_end = if end > 0 && unread[end - 1] == b'\r' {
                    end - 1
                } else {
                    end
                };
                if content_end > max_len {
                    self.broken = true;
                    return Ok(None);
                }
                let line = unread[..content_end].to_vec();
                self.pos += end + 1;
                return Ok(Some(line));
            }
            scanned = unread.len();
            // The line so far, less a CR that may end it.
            if scanned.saturating_sub(1) > max_len {
                self.broken = true;
                return Ok(None);
            }
            self.fill(what)?;
        }
    }

    /// Reads exactly `len` bytes (an IMAP literal). The caller bounds `len`.
    pub fn read_exact_bytes(&mut self, len: usize, what: &str) -> Result<Vec<u8>> {
        self.check_usable()?;
        let mut out = Vec::with_capacity(len.min(READ_CHUNK * 64));
        while out.len() < len {
            if self.pos == self.buf.len() {
                self.fill(what)?;
            }
            let take = (len - out.len()).min(self.buf.len() - self.pos);
            out.extend_from_slice(&self.buf[self.pos..self.pos + take]);
            self.pos += take;
        }
        Ok(out)
    }

    /// Says goodbye to TLS and closes the socket; errors are ignored, as
    /// the session is over either way.
    pub fn close(&mut self) {
        match &mut self.stream {
            Stream::Plain(tcp) => {
                let _ = tcp.shutdown(std::net::Shutdown::Both);
            }
            Stream::Tls(tls) => {
                tls.conn.send_close_notify();
                while tls.conn.wants_write() {
                    if tls.conn.write_tls(&mut tls.sock).is_err() {
                        break;
                    }
                }
                let _ = tls.sock.shutdown(std::net::Shutdown::Both);
            }
            Stream::Closed => {}
        }
        self.stream = Stream::Closed;
        self.broken = true;
    }

    /// An error about this connection that does not break it (a refused
    /// command, say).
    pub fn error(&self, kind: ErrorKind, message: impl AsRef<str>) -> Error {
        Error::new(kind, format!("{}: {}", self.label, message.as_ref()))
    }

    /// Like [`Connection::error`] for a reply that makes no sense: the
    /// connection is not used again.
    pub fn protocol_error(&mut self, message: impl AsRef<str>) -> Error {
        self.broken = true;
        self.error(ErrorKind::Network, message)
    }

    /// Shows server text in an error safely.
    pub fn show(bytes: &[u8]) -> String {
        printable(bytes)
    }

    fn check_usable(&self) -> Result<()> {
        if self.broken {
            return Err(self.error(
                ErrorKind::Network,
                "the connection is closed or unusable after an earlier error",
            ));
        }
        Ok(())
    }

    /// Reads more bytes into the buffer, moving what is unread to the
    /// front first so the buffer only grows to the longest line.
    fn fill(&mut self, what: &str) -> Result<()> {
        if self.pos > 0 {
            self.buf.drain(..self.pos);
            self.pos = 0;
        }
        let start = self.buf.len();
        self.buf.resize(start + READ_CHUNK, 0);
        let read = loop {
            match self.stream.read(&mut self.buf[start..]) {
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                other => break other,
            }
        };
        match read {
            Ok(0) => {
                self.buf.truncate(start);
                let e = io::Error::from(io::ErrorKind::UnexpectedEof);
                Err(self.fail_io(what, &e))
            }
            Ok(n) => {
                self.buf.truncate(start + n);
                Ok(())
            }
            Err(e) => {
                self.buf.truncate(start);
                Err(self.fail_io(what, &e))
            }
        }
    }

    fn handshake(&mut self, config: Arc<ClientConfig>) -> Result<()> {
        let tcp = match std::mem::replace(&mut self.stream, Stream::Closed) {
            Stream::Plain(tcp) => tcp,
            other => {
                self.stream = other;
                return Err(self.fail("TLS handshake", "not a plain connection".into()));
            }
        };
        let name = ServerName::try_from(self.opts.host.clone()).map_err(|_| {
            Error::invalid(format!(
                "{}: {:?} is not a host name or IP address TLS can check",
                self.label, self.opts.host
            ))
        })?;
        let conn = ClientConnection::new(config, name)
            .map_err(|e| self.fail("TLS set-up", e.to_string()))?;
        let mut tls = StreamOwned::new(conn, tcp);
        while tls.conn.is_handshaking() {
            if let Err(e) = tls.conn.complete_io(&mut tls.sock) {
                return Err(self.fail_io("TLS handshake", &e));
            }
        }
        self.stream = Stream::Tls(Box::new(tls));
        Ok(())
    }

    /// An error that leaves the connection unusable.
    fn fail(&mut self, what: &str, detail: String) -> Error {
        self.broken = true;
        Error::new(
            ErrorKind::Network,
            format!("{}: {what}: {detail}", self.label),
        )
    }

    fn fail_io(&mut self, what: &str, e: &io::Error) -> Error {
        let err = self.fail(what, describe_io(e, &self.opts));
        match tls_error(e) {
            Some(rustls::Error::InvalidCertificate(_)) => err.with_hint(
                "if the server uses a self-signed certificate or a private CA, \
                 give that CA's certificate (PEM) as the CA file",
            ),
            _ => err,
        }
    }
}

/// The TCP connection, trying each address the name resolves to.
fn connect_tcp(opts: &ConnectOptions, label: &str) -> Result<TcpStream> {
    let addrs = (opts.host.as_str(), opts.port)
        .to_socket_addrs()
        .map_err(|e| {
            Error::new(
                ErrorKind::Network,
                format!("{label}: cannot resolve {:?}: {e}", opts.host),
            )
        })?;
    let mut last_error = None;
    for addr in addrs {
        match TcpStream::connect_timeout(&addr, opts.timeout) {
            Ok(tcp) => {
                let set_up = tcp
                    .set_read_timeout(Some(opts.timeout))
                    .and_then(|()| tcp.set_write_timeout(Some(opts.timeout)))
                    .and_then(|()| tcp.set_nodelay(true));
                return match set_up {
                    Ok(()) => Ok(tcp),
                    Err(e) => Err(Error::new(
                        ErrorKind::Network,
                        format!("{label}: cannot set up the connection: {e}"),
                    )),
                };
            }
            Err(e) => last_error = Some(e),
        }
    }
    let detail = match last_error {
        Some(e) => describe_io(&e, opts),
        None => format!("{:?} resolves to no address", opts.host),
    };
    Err(Error::new(
        ErrorKind::Network,
        format!("{label}: cannot connect: {detail}"),
    ))
}

/// A client configuration with ring as its provider (so no process-wide
/// default is needed), the Mozilla roots, and the CAs of `ca_file`.
pub fn client_config(ca_file: Option<&Path>) -> Result<Arc<ClientConfig>> {
    let mut roots = RootCertStore::from_iter(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
    if let Some(path) = ca_file {
        for cert in load_ca_file(path)? {
            roots
                .add(cert)
                .map_err(|e| ca_file_error(path, format!("unusable certificate: {e}")))?;
        }
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| Error::internal(format!("TLS configuration: {e}")))?
        .with_root_certificates(roots)
        .with_no_client_auth();
    Ok(Arc::new(config))
}

/// The certificates of a PEM CA file; an unreadable file, or one without
/// a certificate, is an error naming it.
pub(crate) fn load_ca_file(path: &Path) -> Result<Vec<CertificateDer<'static>>> {
    let certs = CertificateDer::pem_file_iter(path)
        .map_err(|e| ca_file_error(path, e.to_string()))?
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| ca_file_error(path, e.to_string()))?;
    if certs.is_empty() {
        return Err(ca_file_error(path, "no certificate in it".into()));
    }
    Ok(certs)
}

pub(crate) fn ca_file_error(path: &Path, detail: String) -> Error {
    Error::invalid(format!("CA file {}: {detail}", path.display()))
        .with_hint("give a PEM file with one or more CERTIFICATE sections")
}

/// The rustls error inside an I/O error, if that is what it is.
pub(crate) fn tls_error(e: &io::Error) -> Option<&rustls::Error> {
    e.get_ref()?.downcast_ref::<rustls::Error>()
}

/// What an I/O error means to someone fetching mail.
fn describe_io(e: &io::Error, opts: &ConnectOptions) -> String {
    if let Some(tls) = tls_error(e) {
        return match tls {
            rustls::Error::InvalidCertificate(cert) => {
                format!(
                    "TLS certificate rejected: {}",
                    describe_certificate_error(cert)
                )
            }
            other => format!("TLS failed: {other}"),
        };
    }
    match e.kind() {
        io::ErrorKind::ConnectionRefused => {
            "connection refused (is the server running, and is this its port?)".into()
        }
        io::ErrorKind::TimedOut | io::ErrorKind::WouldBlock => {
            format!("timed out after {} s", opts.timeout.as_secs_f64())
        }
        io::ErrorKind::UnexpectedEof => "the server closed the connection".into(),
        io::ErrorKind::ConnectionReset | io::ErrorKind::ConnectionAborted => {
            "the server reset the connection".into()
        }
        io::ErrorKind::BrokenPipe => "the server closed the connection".into(),
        _ => e.to_string(),
    }
}

pub(crate) fn describe_certificate_error(e: &rustls::CertificateError) -> String {
    use rustls::CertificateError as C;
    match e {
        C::UnknownIssuer => "it is not signed by a trusted CA".into(),
        C::NotValidForName | C::NotValidForNameContext { .. } => {
            "it is not valid for this host name".into()
        }
        C::Expired | C::ExpiredContext { .. } => "it has expired".into(),
        C::NotValidYet | C::NotValidYetContext { .. } => "it is not valid yet".into(),
        C::Revoked => "it has been revoked".into(),
        other => format!("{other:?}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn installing_the_provider_twice_is_harmless() {
        install_crypto_provider();
        install_crypto_provider();
        let provider = rustls::crypto::CryptoProvider::get_default().expect("installed");
        // ring's suites, not another provider's.
        let ring = rustls::crypto::ring::default_provider();
        assert_eq!(provider.cipher_suites.len(), ring.cipher_suites.len());
    }

    #[test]
    fn a_ca_file_without_certificates_is_refused() {
        let dir = std::env::temp_dir().join(format!("tix-ca-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("empty.pem");
        std::fs::write(&path, "not a certificate\n").unwrap();
        let err = client_config(Some(&path)).expect_err("refused");
        std::fs::remove_dir_all(&dir).unwrap();
        assert_eq!(err.kind(), ErrorKind::Invalid);
        assert!(err.to_string().contains("no certificate"), "{err}");
    }
}
