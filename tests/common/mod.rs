pub mod env;
pub mod pty;
