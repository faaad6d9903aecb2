//! What `/proc` says about the processes of a run: CPU time, peak and current memory,
//! threads and open files.

/// Linux reports process CPU time in ticks of `USER_HZ`, which is 100 on every platform
/// digidash runs on.
const TICKS_PER_SECOND: f64 = 100.0;

/// Forgets the process's peak memory so far (`VmHWM`), so that the next reading is one run's.
pub(crate) fn reset_peak_memory(pid: u32) -> bool {
    // `5` resets the peak resident set size (proc(5), `/proc/<pid>/clear_refs`).
    std::fs::write(format!("/proc/{pid}/clear_refs"), "5").is_ok()
}

/// Peak resident memory of the process in MiB.
pub(crate) fn peak_memory_mib(pid: u32) -> Option<f64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}

/// What the process holds now: resident memory in MiB (`VmRSS`) and threads, from
/// `/proc/<pid>/status`.
pub(crate) fn resident_memory_and_threads(pid: u32) -> (Option<f64>, Option<u64>) {
    let Ok(status) = std::fs::read_to_string(format!("/proc/{pid}/status")) else {
        return (None, None);
    };
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|rest| rest.split_whitespace().next())
            .and_then(|v| v.parse::<u64>().ok())
    };
    #[allow(clippy::cast_precision_loss)]
    let rss = field("VmRSS:").map(|kib| kib as f64 / 1024.0);
    (rss, field("Threads:"))
}

/// How many files (sockets included) the process has open: the entries of `/proc/<pid>/fd`.
pub(crate) fn open_files(pid: u32) -> Option<u64> {
    let entries = std::fs::read_dir(format!("/proc/{pid}/fd")).ok()?;
    Some(entries.count() as u64)
}

/// User and system CPU time in seconds of the process `pid`.
pub(crate) fn process_cpu_seconds(pid: u32) -> Option<f64> {
    cpu_seconds(&format!("/proc/{pid}/stat"))
}

/// User and system CPU time in seconds of the process whose `stat` file this is.
fn cpu_seconds(stat_path: &str) -> Option<f64> {
    let stat = std::fs::read_to_string(stat_path).ok()?;
    // The command name may hold spaces; the fields after it are fixed.
    let rest = &stat[stat.rfind(')')? + 2..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let utime: f64 = fields.get(11)?.parse().ok()?;
    let stime: f64 = fields.get(12)?.parse().ok()?;
    Some((utime + stime) / TICKS_PER_SECOND)
}

/// CPU seconds of every process named `postgres` (the database server's processes).
fn postgres_cpu_seconds() -> Option<f64> {
    let mut total = 0.0;
    for entry in std::fs::read_dir("/proc").ok()?.filter_map(Result::ok) {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if !name.bytes().all(|b| b.is_ascii_digit()) {
            continue;
        }
        let path = format!("/proc/{name}/stat");
        if std::fs::read_to_string(&path).is_ok_and(|s| s.contains("(postgres)")) {
            total += cpu_seconds(&path).unwrap_or(0.0);
        }
    }
    Some(total)
}

/// CPU readings before and after a run: the server's, PostgreSQL's, the load generator's.
pub(crate) struct CpuReading([Option<f64>; 3]);

impl CpuReading {
    /// The readings now; `server_pid` is the server's process.
    pub(crate) fn now(server_pid: u32) -> Self {
        Self([
            cpu_seconds(&format!("/proc/{server_pid}/stat")),
            postgres_cpu_seconds(),
            cpu_seconds("/proc/self/stat"),
        ])
    }

    /// CPU seconds of each since `before`.
    pub(crate) fn since(&self, before: &Self) -> [Option<f64>; 3] {
        std::array::from_fn(|i| Some(self.0[i]? - before.0[i]?))
    }
}
