//! Real mail servers for tests, each in its own temporary directory on
//! free loopback ports: Dovecot (POP3 and IMAP, each plain with STARTTLS
//! and with implicit TLS) serving one Maildir, an aiosmtpd SMTP sink
//! that writes what it receives into a Maildir, and an aiosmtpd server
//! (`smtp_sink.py`: STARTTLS or implicit TLS, optionally requiring a
//! login) that keeps each message byte for byte with its envelope.
//!
//! The certificates come from a throwaway CA made with the openssl CLI:
//! the server's certificate is a leaf (CA:FALSE, which webpki insists on)
//! for localhost and 127.0.0.1, signed by that CA, so a client trusts it
//! exactly when given the CA file.
//!
//! When Dovecot or aiosmtpd is not installed, `start` prints why and
//! returns None so the test can skip; with `TIX_REQUIRE_MAIL_SERVERS=1`
//! (set by CI) it panics instead, so CI cannot pass by skipping.

use std::io::Read;
use std::net::{TcpListener, TcpStream};
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

/// The mail account every Dovecot here serves.
pub const USER: &str = "tixtest";
pub const PASSWORD: &str = "Tix-test-Pa55word-4711";

/// A second login to the same mailbox, whose password needs IMAP quoting
/// (a quote, a backslash) and a literal (8-bit characters).
pub const ODD_USER: &str = "tixodd";
pub const ODD_PASSWORD: &str = "quo\"te back\\slash pässwörd";

/// Returns None after telling why the test is skipped; panics instead
/// when the environment says the servers must be there.
fn unavailable<T>(why: &str) -> Option<T> {
    if std::env::var("TIX_REQUIRE_MAIL_SERVERS").is_ok_and(|v| v == "1") {
        panic!(
            "{why}, and TIX_REQUIRE_MAIL_SERVERS=1 says the mail server tests must run \
             (see .ci/run for what to install)"
        );
    }
    eprintln!("skipping: {why} (see .ci/run for what to install)");
    None
}

/// `name` on PATH or in the sbin directories a non-root PATH lacks.
fn find_program(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .chain(["/usr/sbin", "/usr/local/sbin", "/sbin"].map(PathBuf::from))
        .map(|dir| dir.join(name))
        .find(|p| p.is_file())
}

/// Runs a command that must succeed and returns its stdout.
#[track_caller]
fn run(cmd: &mut Command) -> String {
    let out = cmd
        .output()
        .unwrap_or_else(|e| panic!("cannot run {cmd:?}: {e}"));
    assert!(
        out.status.success(),
        "{cmd:?} failed: {}\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

/// A port nobody listens on right now. Another process could take it
/// before the server does; `Dovecot::start` retries on that.
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free loopback port")
        .port()
}

/// Waits until something accepts connections on `port`.
fn wait_for_port(port: u16, timeout: Duration) -> bool {
    let start = Instant::now();
    while start.elapsed() < timeout {
        if TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    false
}

/// A throwaway CA and a server certificate it signed.
pub struct TestCertificates {
    /// The CA certificate: what a client must trust.
    pub ca: PathBuf,
    /// The server's certificate (localhost, 127.0.0.1) and its key.
    pub cert: PathBuf,
    pub key: PathBuf,
}

impl TestCertificates {
    /// Makes them in `dir` with the openssl CLI (EC keys: fast to make).
    pub fn create(dir: &Path) -> TestCertificates {
        let openssl = find_program("openssl").expect("openssl is installed");
        let p = |name: &str| dir.join(name);
        let ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1"];
        run(Command::new(&openssl)
            .args(["req", "-x509", "-nodes", "-days", "2"])
            .args(ec)
            .args(["-subj", "/CN=tix test CA"])
            .args(["-addext", "basicConstraints=critical,CA:TRUE"])
            .args(["-addext", "keyUsage=critical,keyCertSign,cRLSign"])
            .arg("-keyout")
            .arg(p("ca.key"))
            .arg("-out")
            .arg(p("ca.pem")));
        run(Command::new(&openssl)
            .args(["req", "-new", "-nodes"])
            .args(ec)
            .args(["-subj", "/CN=localhost"])
            .arg("-keyout")
            .arg(p("server.key"))
            .arg("-out")
            .arg(p("server.csr")));
        std::fs::write(
            p("server.ext"),
            "basicConstraints = critical, CA:FALSE\n\
             keyUsage = critical, digitalSignature, keyEncipherment\n\
             extendedKeyUsage = serverAuth\n\
             subjectAltName = DNS:localhost, IP:127.0.0.1\n",
        )
        .unwrap();
        run(Command::new(&openssl)
            .args(["x509", "-req", "-days", "2", "-set_serial", "2"])
            .arg("-in")
            .arg(p("server.csr"))
            .arg("-CA")
            .arg(p("ca.pem"))
            .arg("-CAkey")
            .arg(p("ca.key"))
            .arg("-extfile")
            .arg(p("server.ext"))
            .arg("-out")
            .arg(p("server.pem")));
        TestCertificates {
            ca: p("ca.pem"),
            cert: p("server.pem"),
            key: p("server.key"),
        }
    }
}

/// The Unix user mail processes run as, and the one login processes run
/// as. Dovecot refuses uid 0 for mail, so as root these are the system
/// users the Debian package creates.
struct MailUsers {
    uid: u32,
    gid: u32,
    group: String,
    mail_user: String,
    login_user: String,
}

fn mail_users() -> MailUsers {
    let root = std::fs::metadata("/proc/self").map(|m| m.uid()).ok() == Some(0);
    let (mail_user, login_user) = if root {
        ("dovecot".to_string(), "dovenull".to_string())
    } else {
        let me = run(Command::new("id").arg("-un"));
        (me.clone(), me)
    };
    let id = |flag: &str| run(Command::new("id").args([flag, &mail_user]));
    MailUsers {
        uid: id("-u").parse().expect("a numeric uid"),
        gid: id("-g").parse().expect("a numeric gid"),
        group: id("-gn"),
        mail_user,
        login_user,
    }
}

/// Makes `path` and everything under it belong to the mail user.
fn chown_tree(path: &Path, uid: u32, gid: u32) {
    std::os::unix::fs::chown(path, Some(uid), Some(gid)).unwrap();
    if path.is_dir() {
        for entry in std::fs::read_dir(path).unwrap() {
            chown_tree(&entry.unwrap().path(), uid, gid);
        }
    }
}

fn count_files(dir: &Path) -> usize {
    std::fs::read_dir(dir).map_or(0, |entries| entries.count())
}

/// A running Dovecot. Stopped (and waited for) when dropped.
pub struct Dovecot {
    tmp: tempfile::TempDir,
    pub pop3: u16,
    pub pop3s: u16,
    pub imap: u16,
    pub imaps: u16,
    /// The CA that signed the server's certificate.
    pub ca_file: PathBuf,
    maildir: PathBuf,
    users: MailUsers,
    running: bool,
}

impl Dovecot {
    /// Starts a Dovecot whose INBOX holds `messages` (raw bytes, in
    /// order), or returns None when Dovecot is not installed.
    pub fn start(messages: &[&[u8]]) -> Option<Dovecot> {
        let Some(dovecot) = find_program("dovecot") else {
            return unavailable("dovecot is not installed");
        };
        if find_program("openssl").is_none() {
            return unavailable("openssl is not installed");
        }
        let mut last_log = String::new();
        // A free port can be taken between choosing it and binding it.
        for _attempt in 0..3 {
            let server = Dovecot::prepare(messages);
            // The daemon keeps its stdout and stderr: a pipe read to the
            // end would wait for it to exit.
            let output = std::fs::File::create(server.base().join("log/start.log")).unwrap();
            let started = Command::new(&dovecot)
                .arg("-c")
                .arg(server.base().join("dovecot.conf"))
                .stdin(Stdio::null())
                .stdout(output.try_clone().unwrap())
                .stderr(output)
                .status()
                .expect("dovecot runs");
            let mut server = server;
            server.running = true;
            let ports = [server.pop3, server.pop3s, server.imap, server.imaps];
            if started.success()
                && ports
                    .iter()
                    .all(|&p| wait_for_port(p, Duration::from_secs(10)))
            {
                return Some(server);
            }
            last_log = format!(
                "{}{}",
                std::fs::read_to_string(server.base().join("log/start.log")).unwrap_or_default(),
                server.log()
            );
            drop(server);
        }
        panic!("dovecot did not start:\n{last_log}");
    }

    fn prepare(messages: &[&[u8]]) -> Dovecot {
        let tmp = tempfile::Builder::new()
            .prefix("tix-dovecot-")
            .tempdir()
            .expect("a temporary directory");
        let base = tmp.path().to_path_buf();
        // The mail user must be able to reach its home inside.
        std::fs::set_permissions(&base, std::os::unix::fs::PermissionsExt::from_mode(0o755))
            .unwrap();
        for dir in ["run", "state", "log", "home"] {
            std::fs::create_dir_all(base.join(dir)).unwrap();
        }
        let certs = TestCertificates::create(&base);
        let users = mail_users();
        let home = base.join("home").join(USER);
        let maildir = home.join("Maildir");
        for sub in ["cur", "new", "tmp"] {
            std::fs::create_dir_all(maildir.join(sub)).unwrap();
        }
        chown_tree(&base.join("home"), users.uid, users.gid);
        std::fs::write(
            base.join("passwd"),
            [(USER, PASSWORD), (ODD_USER, ODD_PASSWORD)]
                .map(|(user, password)| {
                    format!(
                        "{user}:{{PLAIN}}{password}:{}:{}::{}::\n",
                        users.uid,
                        users.gid,
                        home.display()
                    )
                })
                .concat(),
        )
        .unwrap();
        let server = Dovecot {
            pop3: free_port(),
            pop3s: free_port(),
            imap: free_port(),
            imaps: free_port(),
            ca_file: certs.ca.clone(),
            maildir,
            users,
            running: false,
            tmp,
        };
        std::fs::write(base.join("dovecot.conf"), server.config(&certs)).unwrap();
        for message in messages {
            server.add_message(message);
        }
        server
    }

    fn config(&self, certs: &TestCertificates) -> String {
        let base = self.base().display().to_string();
        let u = &self.users;
        format!(
            "protocols = imap pop3
listen = 127.0.0.1
base_dir = {base}/run
state_dir = {base}/state
instance_name = {instance}
log_path = {base}/log/dovecot.log
info_log_path = {base}/log/dovecot.log
default_internal_user = {mail_user}
default_internal_group = {group}
default_login_user = {login_user}
first_valid_uid = {uid}
last_valid_uid = {uid}
auth_mechanisms = plain login
auth_failure_delay = 0
disable_plaintext_auth = no
ssl = yes
ssl_cert = <{cert}
ssl_key = <{key}
mail_location = maildir:~/Maildir
passdb {{
  driver = passwd-file
  args = scheme=PLAIN {base}/passwd
}}
userdb {{
  driver = passwd-file
  args = {base}/passwd
}}
service anvil {{
  chroot =
}}
service imap-login {{
  chroot =
  inet_listener imap {{
    port = {imap}
  }}
  inet_listener imaps {{
    port = {imaps}
    ssl = yes
  }}
}}
service pop3-login {{
  chroot =
  inet_listener pop3 {{
    port = {pop3}
  }}
  inet_listener pop3s {{
    port = {pop3s}
    ssl = yes
  }}
}}
",
            instance = self.instance_name(),
            pop3 = self.pop3,
            pop3s = self.pop3s,
            imap = self.imap,
            imaps = self.imaps,
            mail_user = u.mail_user,
            login_user = u.login_user,
            group = u.group,
            uid = u.uid,
            cert = certs.cert.display(),
            key = certs.key.display(),
        )
    }

    /// Dovecot's processes are titled "dovecot-INSTANCE/service".
    fn instance_name(&self) -> String {
        format!("tix-test-{}", self.pop3)
    }

    fn base(&self) -> &Path {
        self.tmp.path()
    }

    /// Delivers a message to INBOX the Maildir way (write in tmp/, rename
    /// into new/), so a running server picks it up.
    pub fn add_message(&self, bytes: &[u8]) {
        self.add_message_to(&self.maildir, bytes);
    }

    fn add_message_to(&self, maildir: &Path, bytes: &[u8]) {
        static SEQUENCE: AtomicU32 = AtomicU32::new(0);
        let name = format!(
            "1700000000.M{}P{}.tixtest",
            SEQUENCE.fetch_add(1, Ordering::Relaxed),
            std::process::id()
        );
        let tmp = maildir.join("tmp").join(&name);
        std::fs::write(&tmp, bytes).unwrap();
        std::os::unix::fs::chown(&tmp, Some(self.users.uid), Some(self.users.gid)).unwrap();
        std::fs::rename(&tmp, maildir.join("new").join(&name)).unwrap();
    }

    /// Messages in INBOX (new and seen).
    pub fn count(&self) -> usize {
        count_files(&self.maildir.join("new")) + count_files(&self.maildir.join("cur"))
    }

    /// Messages in `folder`.
    pub fn count_in(&self, folder: &str) -> usize {
        let dir = self.maildir.join(format!(".{folder}"));
        count_files(&dir.join("new")) + count_files(&dir.join("cur"))
    }

    /// Dovecot's log so far, for failure messages.
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.base().join("log/dovecot.log")).unwrap_or_default()
    }

    /// Stops the server (its master takes the session processes with it)
    /// and waits until it is gone.
    pub fn stop(&mut self) {
        if !std::mem::take(&mut self.running) {
            return;
        }
        // The daemon writes its pid file some time after `dovecot` exits,
        // so it is read only now.
        let master = std::fs::read_to_string(self.base().join("run/master.pid"))
            .ok()
            .and_then(|pid| pid.trim().parse().ok());
        if let Some(pid) = master {
            stop_process(pid);
        }
        // Session processes can outlive the master for a moment; a test
        // of a vanishing server needs them gone, and none may leak.
        let prefix = format!("dovecot-{}/", self.instance_name());
        for pid in processes_titled(&prefix) {
            stop_process(pid);
        }
    }
}

impl Drop for Dovecot {
    fn drop(&mut self) {
        self.stop();
    }
}

/// The processes whose command line starts with `prefix`.
fn processes_titled(prefix: &str) -> Vec<u32> {
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    entries
        .flatten()
        .filter_map(|e| e.file_name().to_str()?.parse::<u32>().ok())
        .filter(|pid| {
            std::fs::read(format!("/proc/{pid}/cmdline"))
                .is_ok_and(|cmdline| cmdline.starts_with(prefix.as_bytes()))
        })
        .collect()
}

/// SIGTERM, then SIGKILL if it lingers; returns once the process is gone.
/// A daemon's zombie (its parent may not reap it) counts as gone.
fn stop_process(pid: u32) {
    let alive = || {
        std::fs::read_to_string(format!("/proc/{pid}/stat"))
            .ok()
            .and_then(|stat| {
                // The state follows the parenthesised command name.
                let after = stat.rsplit_once(") ")?.1;
                Some(!after.starts_with('Z'))
            })
            .unwrap_or(false)
    };
    let _ = Command::new("kill")
        .args(["-TERM", &pid.to_string()])
        .stderr(Stdio::null())
        .status();
    let start = Instant::now();
    while alive() {
        if start.elapsed() > Duration::from_secs(10) {
            let _ = Command::new("kill")
                .args(["-KILL", &pid.to_string()])
                .stderr(Stdio::null())
                .status();
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// A running aiosmtpd that files every message it accepts into a Maildir
/// (with X-MailFrom and X-RcptTo headers added), offering STARTTLS with a
/// certificate from a test CA. Stopped when dropped.
pub struct SmtpSink {
    tmp: tempfile::TempDir,
    child: Child,
    pub port: u16,
    /// The CA that signed the server's certificate.
    pub ca_file: PathBuf,
}

impl SmtpSink {
    /// Starts the sink, or returns None when aiosmtpd is not installed.
    pub fn start() -> Option<SmtpSink> {
        let python = std::env::var("PYTHON").unwrap_or_else(|_| "python3".into());
        let has_aiosmtpd = Command::new(&python)
            .args(["-c", "import aiosmtpd"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        if !has_aiosmtpd {
            return unavailable(&format!("{python} cannot import aiosmtpd"));
        }
        if find_program("openssl").is_none() {
            return unavailable("openssl is not installed");
        }
        let tmp = tempfile::Builder::new()
            .prefix("tix-smtp-")
            .tempdir()
            .expect("a temporary directory");
        let certs = TestCertificates::create(tmp.path());
        let maildir = tmp.path().join("received");
        for sub in ["cur", "new", "tmp"] {
            std::fs::create_dir_all(maildir.join(sub)).unwrap();
        }
        let port = free_port();
        let log = std::fs::File::create(tmp.path().join("smtp.log")).unwrap();
        let child = Command::new(&python)
            .args(["-m", "aiosmtpd", "-n"])
            .arg("-l")
            .arg(format!("127.0.0.1:{port}"))
            .arg("--tlscert")
            .arg(&certs.cert)
            .arg("--tlskey")
            .arg(&certs.key)
            .arg("--no-requiretls")
            .args(["-c", "aiosmtpd.handlers.Mailbox"])
            .arg(&maildir)
            .stdin(Stdio::null())
            .stdout(log.try_clone().unwrap())
            .stderr(log)
            .spawn()
            .expect("aiosmtpd starts");
        let mut sink = SmtpSink {
            tmp,
            child,
            port,
            ca_file: certs.ca,
        };
        if !wait_for_port(port, Duration::from_secs(20)) {
            let _ = sink.child.kill();
            let _ = sink.child.wait();
            panic!("aiosmtpd did not start:\n{}", sink.log());
        }
        Some(sink)
    }

    /// Every message received so far, in no particular order.
    pub fn messages(&self) -> Vec<Vec<u8>> {
        let mut out = Vec::new();
        for sub in ["new", "cur"] {
            let dir = self.tmp.path().join("received").join(sub);
            for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
                let mut bytes = Vec::new();
                std::fs::File::open(entry.path())
                    .and_then(|mut f| f.read_to_end(&mut bytes))
                    .unwrap();
                out.push(bytes);
            }
        }
        out
    }

    pub fn log(&self) -> String {
        std::fs::read_to_string(self.tmp.path().join("smtp.log")).unwrap_or_default()
    }
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// What [`SmtpServer`] received: the envelope and the exact bytes.
#[derive(Clone, Debug)]
pub struct Received {
    pub mail_from: String,
    pub rcpt_tos: Vec<String>,
    pub authenticated: bool,
    pub bytes: Vec<u8>,
}

/// An aiosmtpd run by `tests/it/common/smtp_sink.py`: STARTTLS, or TLS from
/// the first byte, optionally requiring a login; unlike [`SmtpSink`] it
/// keeps each message byte for byte with its envelope. Stopped when
/// dropped.
pub struct SmtpServer {
    tmp: tempfile::TempDir,
    child: Child,
    pub port: u16,
    /// The CA that signed the server's certificate.
    pub ca_file: PathBuf,
}

impl SmtpServer {
    /// Starts the server, or returns None when aiosmtpd is not installed.
    /// `login` is the user and password it then requires.
    pub fn start(implicit_tls: bool, login: Option<(&str, &str)>) -> Option<SmtpServer> {
        let python = std::env::var("PYTHON").unwrap_or_else(|_| "python3".into());
        let has_aiosmtpd = Command::new(&python)
            .args(["-c", "import aiosmtpd"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        if !has_aiosmtpd {
            return unavailable(&format!("{python} cannot import aiosmtpd"));
        }
        if find_program("openssl").is_none() {
            return unavailable("openssl is not installed");
        }
        let tmp = tempfile::Builder::new()
            .prefix("tix-smtp-server-")
            .tempdir()
            .expect("a temporary directory");
        let certs = TestCertificates::create(tmp.path());
        let received = tmp.path().join("received");
        std::fs::create_dir_all(&received).unwrap();
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/it/common/smtp_sink.py");
        let port = free_port();
        let log = std::fs::File::create(tmp.path().join("smtp.log")).unwrap();
        let mut command = Command::new(&python);
        command
            .arg(script)
            .arg(port.to_string())
            .arg(&received)
            .arg(&certs.cert)
            .arg(&certs.key);
        if implicit_tls {
            command.arg("--implicit");
        }
        if let Some((user, password)) = login {
            command.args(["--auth", user, password]);
        }
        let child = command
            .stdin(Stdio::null())
            .stdout(log.try_clone().unwrap())
            .stderr(log)
            .spawn()
            .expect("the SMTP server starts");
        let mut server = SmtpServer {
            tmp,
            child,
            port,
            ca_file: certs.ca,
        };
        if !wait_for_port(port, Duration::from_secs(20)) {
            let _ = server.child.kill();
            let _ = server.child.wait();
            panic!("the SMTP server did not start:\n{}", server.log());
        }
        Some(server)
    }

    /// Every message received so far, in the order received.
    pub fn received(&self) -> Vec<Received> {
        let dir = self.tmp.path().join("received");
        let mut numbers: Vec<u32> = std::fs::read_dir(&dir)
            .into_iter()
            .flatten()
            .flatten()
            .filter_map(|e| {
                let name = e.file_name().into_string().ok()?;
                name.strip_suffix(".eml")?.parse().ok()
            })
            .collect();
        numbers.sort_unstable();
        numbers
            .into_iter()
            .map(|n| {
                let envelope: serde_json::Value =
                    serde_json::from_slice(&std::fs::read(dir.join(format!("{n}.json"))).unwrap())
                        .unwrap();
                Received {
                    mail_from: envelope["mail_from"].as_str().unwrap_or("").to_string(),
                    rcpt_tos: envelope["rcpt_tos"]
                        .as_array()
                        .into_iter()
                        .flatten()
                        .filter_map(|r| r.as_str().map(str::to_string))
                        .collect(),
                    authenticated: envelope["authenticated"].as_bool().unwrap_or(false),
                    bytes: std::fs::read(dir.join(format!("{n}.eml"))).unwrap(),
                }
            })
            .collect()
    }

    pub fn log(&self) -> String {
        std::fs::read_to_string(self.tmp.path().join("smtp.log")).unwrap_or_default()
    }
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
