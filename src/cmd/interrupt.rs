//! Ctrl-C, SIGTERM and SIGHUP: the temporary files of outputs not yet committed are
//! removed before the process ends, so an interrupted write leaves nothing behind.

use spur_core::output;

/// Routes the signals to a thread of their own. Call first in `main`, before any other
/// thread starts: the threads started later inherit the blocked signals, so only the
/// waiting thread ever receives them, and it may then do ordinary work (take a lock,
/// remove files), which a signal handler may not.
pub fn install() {
    // SAFETY: the signal set is initialised by sigemptyset before use; blocking
    // signals and waiting for them with sigwait are async-signal-safe by design.
    unsafe {
        let mut set: libc::sigset_t = std::mem::zeroed();
        libc::sigemptyset(&mut set);
        for signal in [libc::SIGINT, libc::SIGTERM, libc::SIGHUP] {
            libc::sigaddset(&mut set, signal);
        }
        if libc::pthread_sigmask(libc::SIG_BLOCK, &set, std::ptr::null_mut()) != 0 {
            return;
        }
        std::thread::spawn(move || {
            let mut signal = 0;
            if libc::sigwait(&set, &mut signal) == 0 {
                output::remove_pending();
                std::process::exit(128 + signal);
            }
        });
    }
}
