//! The real binary in a pseudo-terminal, for the end-to-end tests of the review app.
#![allow(dead_code)] // each test file uses part of it

use std::io::{Read, Write};
use std::os::fd::{FromRawFd, OwnedFd};
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

pub struct Pty {
    master: Option<std::fs::File>,
    output: Arc<Mutex<Vec<u8>>>,
    reader: Option<std::thread::JoinHandle<()>>,
    /// Set to make the reader let go of its copy of the master side.
    closing: Arc<std::sync::atomic::AtomicBool>,
    pub child: Child,
}

fn openpty(cols: u16, rows: u16) -> (OwnedFd, OwnedFd) {
    let (mut master, mut slave) = (0, 0);
    let size = libc::winsize { ws_row: rows, ws_col: cols, ws_xpixel: 0, ws_ypixel: 0 };
    // SAFETY: plain FFI call with valid out-pointers; the fds are owned from here on.
    let rc = unsafe { libc::openpty(&mut master, &mut slave, std::ptr::null_mut(), std::ptr::null(), &size) };
    assert_eq!(rc, 0, "openpty: {}", std::io::Error::last_os_error());
    // The master side stays ours: a child (this app, or another test's) that inherited it
    // would keep the terminal open after the test closes it.
    // SAFETY: fcntl(2) on the descriptor openpty just returned.
    assert_eq!(unsafe { libc::fcntl(master, libc::F_SETFD, libc::FD_CLOEXEC) }, 0);
    // SAFETY: openpty returned two fresh descriptors.
    unsafe { (OwnedFd::from_raw_fd(master), OwnedFd::from_raw_fd(slave)) }
}

impl Pty {
    pub fn spawn(args: &[&str], home: &Path, envs: &[(&str, &Path)]) -> Pty {
        Pty::spawn_in_session(args, home, envs, true)
    }

    /// As [`Pty::spawn`]; with `controlling` false the terminal is not the app's controlling
    /// terminal, so closing it sends no SIGHUP: the app sees only the end of its input.
    pub fn spawn_in_session(args: &[&str], home: &Path, envs: &[(&str, &Path)], controlling: bool) -> Pty {
        Pty::spawn_full(args, home, envs, controlling, (100, 30))
    }

    /// As [`Pty::spawn`], in a window of `size` (columns, rows).
    pub fn spawn_sized(args: &[&str], home: &Path, envs: &[(&str, &Path)], size: (u16, u16)) -> Pty {
        Pty::spawn_full(args, home, envs, true, size)
    }

    fn spawn_full(args: &[&str], home: &Path, envs: &[(&str, &Path)], controlling: bool, size: (u16, u16)) -> Pty {
        let (master, slave) = openpty(size.0, size.1);
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_vetted"));
        cmd.args(args)
            .env("TERM", "xterm-256color")
            .env("HOME", home)
            .env("XDG_CONFIG_HOME", home.join("config"))
            .env("XDG_DATA_HOME", home.join("data"))
            .env_remove("VETTED_DB")
            .env_remove("VETTED_CONFIG")
            .env_remove("NO_COLOR")
            .env_remove("CLICOLOR")
            .env_remove("CLICOLOR_FORCE")
            .env_remove("LESS")
            .env_remove("PAGER")
            .envs(envs.iter().copied())
            .stdin(Stdio::from(slave.try_clone().unwrap()))
            .stdout(Stdio::from(slave.try_clone().unwrap()))
            .stderr(Stdio::from(slave));
        // SAFETY: only async-signal-safe calls between fork and exec.
        unsafe {
            cmd.pre_exec(move || {
                if libc::setsid() < 0 || (controlling && libc::ioctl(0, libc::TIOCSCTTY as _, 0) < 0) {
                    return Err(std::io::Error::last_os_error());
                }
                Ok(())
            });
        }
        let child = cmd.spawn().expect("spawn vetted");
        drop(cmd); // closes our copies of the slave
        let master = std::fs::File::from(master);
        let output = Arc::new(Mutex::new(Vec::new()));
        let (mut reader, sink) = (master.try_clone().unwrap(), output.clone());
        let closing = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let stop = closing.clone();
        let reader = std::thread::spawn(move || {
            use std::os::fd::AsRawFd;
            let mut buf = [0u8; 4096];
            while !stop.load(std::sync::atomic::Ordering::SeqCst) {
                let mut fds = libc::pollfd { fd: reader.as_raw_fd(), events: libc::POLLIN, revents: 0 };
                // SAFETY: poll(2) on one valid pollfd.
                if unsafe { libc::poll(&mut fds, 1, 20) } <= 0 || fds.revents & libc::POLLIN == 0 {
                    if fds.revents & (libc::POLLHUP | libc::POLLERR) != 0 {
                        break;
                    }
                    continue;
                }
                match reader.read(&mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => sink.lock().unwrap().extend_from_slice(&buf[..n]),
                }
            }
        });
        Pty { master: Some(master), output, reader: Some(reader), closing, child }
    }

    /// Closes the terminal as a terminal window or an SSH connection does: the master side
    /// goes away (every copy of it).
    pub fn close(&mut self) {
        self.closing.store(true, std::sync::atomic::Ordering::SeqCst);
        if let Some(reader) = self.reader.take() {
            reader.join().unwrap();
        }
        self.master = None;
    }

    fn master(&self) -> &std::fs::File {
        self.master.as_ref().expect("the terminal is open")
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.output.lock().unwrap()).into_owned()
    }

    /// The output with escape sequences and spaces removed: ratatui moves the cursor over
    /// cells that did not change, so words of one line may arrive apart.
    pub fn squashed(&self) -> String {
        squash(&self.text())
    }

    /// Whether the output since byte `since` of [`Pty::text`] holds `what` (spaces and escape
    /// sequences aside).
    pub fn shown_since(&self, since: usize, what: &str) -> bool {
        let what: String = what.chars().filter(|c| !c.is_whitespace()).collect();
        let output = self.output.lock().unwrap();
        squash(&String::from_utf8_lossy(&output[since.min(output.len())..])).contains(&what)
    }

    /// How many bytes the app has written so far (a mark for [`Pty::shown_since`]).
    pub fn written(&self) -> usize {
        self.output.lock().unwrap().len()
    }

    pub fn wait_for(&self, what: &str) {
        let start = Instant::now();
        let what: String = what.chars().filter(|c| !c.is_whitespace()).collect();
        while !self.squashed().contains(&what) {
            assert!(
                start.elapsed() < Duration::from_secs(20),
                "timed out waiting for {what:?}; screen:\n{}",
                self.squashed()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Whether the terminal is in its ordinary (cooked) modes: echo and line editing on.
    pub fn cooked(&self) -> bool {
        use std::os::fd::AsRawFd;
        let mut t = std::mem::MaybeUninit::<libc::termios>::zeroed();
        // SAFETY: tcgetattr on our open master fd into writable memory of the right size.
        let rc = unsafe { libc::tcgetattr(self.master().as_raw_fd(), t.as_mut_ptr()) };
        assert_eq!(rc, 0, "tcgetattr: {}", std::io::Error::last_os_error());
        // SAFETY: tcgetattr returned 0, so it filled the struct.
        let t = unsafe { t.assume_init() };
        t.c_lflag & libc::ECHO != 0 && t.c_lflag & libc::ICANON != 0
    }

    /// Gives the terminal its ordinary modes, as a shell does when a job it runs stops.
    pub fn make_cooked(&self) {
        use std::os::fd::AsRawFd;
        let fd = self.master().as_raw_fd();
        let mut t = std::mem::MaybeUninit::<libc::termios>::zeroed();
        // SAFETY: tcgetattr / tcsetattr on our open master fd with memory of the right size.
        unsafe {
            assert_eq!(libc::tcgetattr(fd, t.as_mut_ptr()), 0);
            let mut t = t.assume_init();
            t.c_lflag |= libc::ECHO | libc::ICANON | libc::ISIG | libc::IEXTEN;
            t.c_iflag |= libc::ICRNL;
            t.c_oflag |= libc::OPOST;
            assert_eq!(libc::tcsetattr(fd, libc::TCSANOW, &t), 0);
        }
        assert!(self.cooked());
    }

    /// Sends `sig` to the app.
    pub fn signal(&self, sig: i32) {
        // SAFETY: kill(2) on our own child.
        assert_eq!(unsafe { libc::kill(self.child.id() as i32, sig) }, 0);
    }

    /// Waits until the app has stopped (SIGSTOP / SIGTSTP), as a shell's job control sees it.
    pub fn wait_stopped(&self) {
        let mut status = 0;
        // SAFETY: waitpid on our own child with a valid out-pointer.
        let pid = unsafe { libc::waitpid(self.child.id() as i32, &mut status, libc::WUNTRACED) };
        assert!(pid > 0 && libc::WIFSTOPPED(status), "not stopped: {status:#x}");
    }

    pub fn send(&mut self, keys: &str) {
        let mut master = self.master();
        master.write_all(keys.as_bytes()).unwrap();
        master.flush().unwrap();
    }

    pub fn wait_exit(&mut self) -> std::process::ExitStatus {
        let start = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                // Everything the app wrote before it exited, read (the reader ends once the
                // terminal's other side is closed; bounded, should something keep it open).
                let read_all = Instant::now();
                while self.reader.as_ref().is_some_and(|r| !r.is_finished())
                    && read_all.elapsed() < Duration::from_secs(2)
                {
                    std::thread::sleep(Duration::from_millis(10));
                }
                return status;
            }
            if start.elapsed() > Duration::from_secs(20) {
                let _ = self.child.kill();
                panic!("vetted did not exit; screen:\n{}", self.text());
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

/// Writes an executable shell script (a fake editor or browser) at `path`.
pub fn script(path: &Path, body: &str) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::write(path, format!("#!/bin/sh\n{body}")).unwrap();
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).unwrap();
}

/// Text with escape sequences and spaces removed (see [`Pty::squashed`]).
fn squash(text: &str) -> String {
    let mut out = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            if chars.next_if_eq(&'[').is_some() {
                while chars.next().is_some_and(|c| !c.is_ascii_alphabetic()) {}
            }
        } else if !c.is_whitespace() {
            out.push(c);
        }
    }
    out
}
