//! Who and where: the host and user a report describes. A fleet registry correlates reports by `machine_id`, which
//! survives hostname changes (Linux `/etc/machine-id`, macOS `IOPlatformUUID`).
use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub struct Host {
    pub hostname: String,
    pub os: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub os_version: Option<String>,
    pub arch: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub machine_id: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct User {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub uid: Option<u32>,
}

impl Host {
    pub fn current() -> Host {
        Host {
            hostname: hostname(),
            os: std::env::consts::OS,
            os_version: os_version(),
            arch: std::env::consts::ARCH,
            machine_id: machine_id(),
        }
    }
}

impl User {
    pub fn current() -> User {
        #[cfg(unix)]
        {
            let uid = unsafe { libc::getuid() };
            User { name: user_name(uid).or_else(|| std::env::var("USER").ok()), uid: Some(uid) }
        }
        #[cfg(not(unix))]
        {
            User { name: std::env::var("USERNAME").ok(), uid: None }
        }
    }
}

/// Name of a uid from the user database (getpwuid_r), if it has one.
#[cfg(unix)]
pub fn user_name(uid: u32) -> Option<String> {
    let mut buf = vec![0 as libc::c_char; 4096];
    let mut pwd: libc::passwd = unsafe { std::mem::zeroed() };
    let mut result: *mut libc::passwd = std::ptr::null_mut();
    let rc = unsafe { libc::getpwuid_r(uid, &mut pwd, buf.as_mut_ptr(), buf.len(), &mut result) };
    if rc != 0 || result.is_null() || pwd.pw_name.is_null() {
        return None;
    }
    let name = unsafe { std::ffi::CStr::from_ptr(pwd.pw_name) };
    Some(name.to_string_lossy().into_owned())
}

fn hostname() -> String {
    #[cfg(unix)]
    {
        let mut buf = [0u8; 256];
        if unsafe { libc::gethostname(buf.as_mut_ptr() as *mut libc::c_char, buf.len()) } == 0 {
            let end = buf.iter().position(|&b| b == 0).unwrap_or(buf.len());
            return String::from_utf8_lossy(&buf[..end]).into_owned();
        }
    }
    std::env::var("HOSTNAME").or_else(|_| std::env::var("COMPUTERNAME")).unwrap_or_default()
}

fn os_version() -> Option<String> {
    if cfg!(target_os = "linux") {
        let text = std::fs::read_to_string("/etc/os-release").ok()?;
        text.lines().find_map(|l| l.strip_prefix("PRETTY_NAME=")).map(|v| v.trim_matches('"').to_owned())
    } else if cfg!(target_os = "macos") {
        let out = std::process::Command::new("sw_vers").arg("-productVersion").output().ok()?;
        Some(String::from_utf8_lossy(&out.stdout).trim().to_owned()).filter(|s| !s.is_empty())
    } else {
        None
    }
}

/// Lower this process's CPU priority (nice 19) and, on Linux, its I/O priority (idle class), before any worker
/// thread starts so they inherit it. Best effort: a failure is reported once, the scan goes on.
pub fn lower_priority() -> Result<(), String> {
    #[cfg(unix)]
    {
        if unsafe { libc::setpriority(libc::PRIO_PROCESS, 0, 19) } != 0 {
            return Err(format!("cannot lower CPU priority: {}", std::io::Error::last_os_error()));
        }
        #[cfg(target_os = "linux")]
        {
            // ioprio_set(IOPRIO_WHO_PROCESS, 0, IOPRIO_PRIO_VALUE(IOPRIO_CLASS_IDLE, 0)); see ioprio_set(2).
            const IOPRIO_WHO_PROCESS: libc::c_long = 1;
            const IOPRIO_CLASS_IDLE: libc::c_long = 3;
            const IOPRIO_CLASS_SHIFT: libc::c_long = 13;
            let rc = unsafe {
                libc::syscall(
                    libc::SYS_ioprio_set,
                    IOPRIO_WHO_PROCESS,
                    0 as libc::c_long,
                    IOPRIO_CLASS_IDLE << IOPRIO_CLASS_SHIFT,
                )
            };
            if rc != 0 {
                return Err(format!("cannot lower I/O priority: {}", std::io::Error::last_os_error()));
            }
        }
    }
    Ok(())
}

fn machine_id() -> Option<String> {
    if cfg!(target_os = "linux") {
        ["/etc/machine-id", "/var/lib/dbus/machine-id"]
            .iter()
            .find_map(|p| std::fs::read_to_string(p).ok())
            .map(|s| s.trim().to_owned())
            .filter(|s| !s.is_empty())
    } else if cfg!(target_os = "macos") {
        let out = std::process::Command::new("ioreg").args(["-rd1", "-c", "IOPlatformExpertDevice"]).output().ok()?;
        let text = String::from_utf8_lossy(&out.stdout);
        text.lines().find(|l| l.contains("IOPlatformUUID")).and_then(|l| l.split('"').nth(3)).map(str::to_owned)
    } else if cfg!(windows) {
        let out = std::process::Command::new("reg")
            .args(["query", r"HKLM\SOFTWARE\Microsoft\Cryptography", "/v", "MachineGuid"])
            .output()
            .ok()?;
        let text = String::from_utf8_lossy(&out.stdout);
        text.lines().find(|l| l.contains("MachineGuid")).and_then(|l| l.split_whitespace().last()).map(str::to_owned)
    } else {
        None
    }
}
