//! What a new user meets (issue #17) and reports of any size (issue #16 item 1): the README's deployment, CI and
//! pre-commit snippets run as written (read from README.md, so they cannot drift), man pages, `rules list`,
//! colours, `-v`, suppressions in the summary, the advice the human report gives, and reports of 40,000 and
//! 100,000 findings in every format.
use std::{
    collections::BTreeMap,
    path::{Path, PathBuf},
    process::{Command, Stdio},
    time::{Duration, Instant},
};

use serde_json::Value;

use crate::{
    common::{
        aws_key_id, bin, findings, git_in, github_token, run, run_full, scan_json, sha256, tree, write, Rng, Run,
    },
    upload::Server,
};

const TOKEN: &str = "test-upload-token-0123456789";

fn readme() -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap()
}

/// The fenced code blocks of `text` in `lang`, in order, each with the line before its fence (what it is).
fn blocks<'a>(text: &'a str, lang: &str) -> Vec<(&'a str, String)> {
    let mut out = Vec::new();
    let mut lines = text.lines().peekable();
    let mut before = "";
    while let Some(line) = lines.next() {
        if line.trim_start() == format!("```{lang}") {
            let mut body = String::new();
            for l in lines.by_ref() {
                if l.trim_start().starts_with("```") {
                    break;
                }
                body.push_str(l);
                body.push('\n');
            }
            out.push((before, body));
        } else if !line.trim().is_empty() {
            before = line;
        }
    }
    out
}

/// The block of `lang` whose introducing line contains `intro`.
fn block(text: &str, lang: &str, intro: &str) -> String {
    blocks(text, lang)
        .into_iter()
        .find(|(b, _)| b.contains(intro))
        .unwrap_or_else(|| panic!("README.md has no ```{lang} block after a line with {intro:?}"))
        .1
}

/// Shell command lines: continuation lines joined, comments dropped.
fn command_lines(script: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    for line in script.lines() {
        let line = match line.find("   #") {
            Some(i) if !line.trim_start().starts_with('#') => &line[..i],
            _ => line,
        };
        let (part, more) = match line.trim_end().strip_suffix('\\') {
            Some(p) => (p, true),
            None => (line.trim_end(), false),
        };
        cur.push_str(part.trim_start());
        cur.push(' ');
        if !more {
            let c = cur.trim().to_owned();
            if !c.is_empty() && !c.starts_with('#') {
                out.push(c);
            }
            cur.clear();
        }
    }
    out
}

/// Run a program with a deadline (a hang fails the test), in `dir`, with `env`.
fn exec(mut cmd: Command, dir: &Path, env: &[(&str, String)]) -> Run {
    cmd.current_dir(dir).env("NO_COLOR", "1").stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped());
    for (k, v) in env {
        cmd.env(k, v);
    }
    let child = cmd.spawn().expect("spawn");
    let pid = child.id();
    let deadline = Instant::now() + Duration::from_secs(120);
    let waiter = std::thread::spawn(move || child.wait_with_output());
    while !waiter.is_finished() {
        if Instant::now() > deadline {
            unsafe { libc::kill(pid as i32, libc::SIGKILL) };
            panic!("{cmd:?} did not finish within 120 s");
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    Run { out: waiter.join().unwrap().unwrap() }
}

/// `args[0]` with the rest as its arguments.
fn command(args: &[String]) -> Command {
    let mut c = Command::new(&args[0]);
    c.args(&args[1..]);
    c
}

fn sh(line: &str, dir: &Path, env: &[(&str, String)]) -> Run {
    let mut c = Command::new("sh");
    c.arg("-c").arg(line);
    exec(c, dir, env)
}

/// What the MDM deploys beside the scanner: the upload token and the organisation key.
fn deploy(dir: &Path) {
    write(dir, "upload.token", &format!("{TOKEN}\n"));
    write(dir, "org.key", "0123456789abcdef0123456789abcdef\n");
}

/// A machine for the deployment examples: a user database with one user whose home holds a secret, the files the
/// MDM would deploy, and the README's paths mapped into a temporary directory (output directories left for
/// credsweep to create).
struct Machine {
    t: tempfile::TempDir,
    server: Server,
    env: Vec<(&'static str, String)>,
}

impl Machine {
    fn new() -> Machine {
        let t = tree();
        let mut rng = Rng::new();
        let home = t.path().join("home/alice");
        write(&home, ".aws/credentials", &format!("[default]\naws_access_key_id = {}\n", aws_key_id(&mut rng)));
        write(&home, "src/app/.env", &format!("GITHUB_TOKEN={}\n", github_token(&mut rng)));
        std::fs::create_dir_all(t.path().join("root")).unwrap();
        let passwd = write(
            t.path(),
            "passwd",
            &format!(
                "root:x:0:0:root:{}:/bin/bash\nalice:x:1001:1001::{}:/bin/bash\n",
                t.path().join("root").display(),
                home.display()
            ),
        );
        deploy(&t.path().join("etc"));
        let env = vec![
            ("CREDSWEEP_PASSWD_FILE", passwd.display().to_string()),
            ("HOME", home.display().to_string()),
            ("DEVICE_ID", "MDM-42".to_owned()),
        ];
        Machine { t, server: Server::start(Vec::new()), env }
    }

    /// The README's paths and registry, mapped onto this machine. `/Library/Application Support` keeps its space.
    fn map(&self, s: &str) -> String {
        let root = self.t.path().display().to_string();
        s.replace("/usr/local/bin/credsweep", &bin().display().to_string())
            .replace("/var/lib/credsweep", &format!("{root}/var"))
            .replace("/etc/credsweep", &format!("{root}/etc"))
            .replace("/Library/Application Support/credsweep", &format!("{root}/Application Support"))
            .replace("https://registry.example.com", &self.server.url())
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.t.path().join(rel)
    }

    /// The one JSON report in `dir`, checked: named `credsweep-<host>-<time>.json`, mode 0600, with findings.
    fn report_in(&self, dir: &str) -> Value {
        use std::os::unix::fs::PermissionsExt;
        let dir = self.path(dir);
        let reports: Vec<PathBuf> = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .map(|e| e.unwrap().path())
            .filter(|p| p.file_name().unwrap().to_str().unwrap().starts_with("credsweep-"))
            .collect();
        assert_eq!(reports.len(), 1, "one report in {}: {reports:?}", dir.display());
        let name = reports[0].file_name().unwrap().to_str().unwrap();
        assert!(name.ends_with(".json"), "JSON unless --format says otherwise: {name}");
        assert_eq!(std::fs::metadata(&reports[0]).unwrap().permissions().mode() & 0o777, 0o600);
        let v: Value = serde_json::from_str(&std::fs::read_to_string(&reports[0]).unwrap()).expect("a JSON report");
        assert_eq!(v["schema"], "credsweep.report/v1");
        assert!(!findings(&v).is_empty());
        v
    }
}

/// Every command line of the README's fleet deployment: the `sh` block, the systemd `ExecStart=`, the launchd
/// `ProgramArguments` and the Jamf/Intune script, each run as written with the paths and the registry mapped.
#[test]
fn readme_deployment_command_lines_run() {
    let text = readme();
    // The sh block of "## Fleet deployment".
    let m = Machine::new();
    let fleet = command_lines(&block(&text, "sh", "## Fleet deployment"));
    assert_eq!(fleet.len(), 4, "{fleet:?}");
    for line in &fleet {
        assert!(line.starts_with("credsweep "), "{line}");
        let r = sh(&m.map(&line.replacen("credsweep", &bin().display().to_string(), 1)), m.t.path(), &m.env);
        assert!(r.code() <= 1, "{line}: exit {}\n{}", r.code(), r.stderr());
    }
    let v = m.report_in("var");
    assert_eq!(v["tags"]["mdm_id"], "MDM-42");
    assert!(findings(&v).iter().all(|f| f["fingerprint"].as_str().unwrap().starts_with("hmac-sha256:")));
    assert_eq!(m.server.seen().len(), 1, "the report reached the registry");

    // systemd: the service's ExecStart, without a shell (systemd splits words itself; this line has no quotes).
    let m = Machine::new();
    let units = blocks(&text, "ini");
    let service = &units.iter().find(|(_, b)| b.starts_with("# /etc/systemd/system/credsweep.service")).unwrap().1;
    let exec_start = command_lines(service).into_iter().find_map(|l| l.strip_prefix("ExecStart=").map(str::to_owned));
    let args: Vec<String> = m.map(&exec_start.unwrap()).split_whitespace().map(str::to_owned).collect();
    let r = exec(command(&args), m.t.path(), &m.env);
    assert_eq!(r.code(), 1, "findings; SuccessExitStatus=1 makes that a success: {}", r.stderr());
    assert!(r.stderr().is_empty(), "--quiet: {}", r.stderr());
    m.report_in("var");
    assert_eq!(m.server.seen().len(), 1);
    verify_systemd_units(&m, &units);

    // launchd: ProgramArguments, exactly (one argument holds a space).
    let m = Machine::new();
    deploy(&m.path("Application Support"));
    let plist = block(&text, "xml", "launchd");
    let options = roxmltree::ParsingOptions { allow_dtd: true, ..roxmltree::ParsingOptions::default() };
    let doc = roxmltree::Document::parse_with_options(&plist, options).expect("the plist is well-formed XML");
    let key = doc.descendants().find(|n| n.has_tag_name("key") && n.text() == Some("ProgramArguments")).unwrap();
    let array = key.next_siblings().skip(1).find(|n| n.is_element()).unwrap();
    assert!(array.has_tag_name("array"));
    let args: Vec<String> =
        array.children().filter(|n| n.has_tag_name("string")).map(|n| m.map(n.text().unwrap())).collect();
    let r = exec(command(&args), m.t.path(), &m.env);
    assert_eq!(r.code(), 1, "{}", r.stderr());
    m.report_in("Application Support");
    assert_eq!(m.server.seen().len(), 1);

    // Jamf / Intune: the script, with the device id as its fourth parameter.
    let m = Machine::new();
    let script = m.path("jamf.sh");
    std::fs::write(&script, m.map(&block(&text, "sh", "Jamf / Intune"))).unwrap();
    let mut c = Command::new("sh");
    c.arg(&script).args(["/", "computer", "user", "JAMF-7"]);
    let r = exec(c, m.t.path(), &m.env);
    assert_eq!(r.code(), 0, "0 and 1 are both a successful run for the MDM: {}", r.stderr());
    let v = m.report_in("var");
    assert_eq!(v["tags"]["device_id"], "JAMF-7");
    assert_eq!(v["tags"]["mdm"], "jamf");
    assert_eq!(m.server.seen().len(), 1);
}

/// The README's two systemd units as systemd reads them (`systemd-analyze verify`), where systemd is installed.
fn verify_systemd_units(m: &Machine, units: &[(&str, String)]) {
    let Ok(version) = Command::new("systemd-analyze").arg("--version").output() else {
        eprintln!("systemd-analyze is not installed: the units' syntax is not checked");
        return;
    };
    assert!(version.status.success());
    let dir = m.path("units");
    std::fs::create_dir_all(&dir).unwrap();
    let mut names = Vec::new();
    for (_, body) in units.iter().filter(|(_, b)| b.starts_with("# /etc/systemd/system/")) {
        let name = body.lines().next().unwrap().rsplit('/').next().unwrap().to_owned();
        std::fs::write(dir.join(&name), m.map(body)).unwrap();
        names.push(dir.join(name));
    }
    assert_eq!(names.len(), 2, "a service and a timer");
    let out = Command::new("systemd-analyze").args(["verify", "--man=no"]).args(&names).output().unwrap();
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success() && !said.contains("Unknown"), "systemd-analyze verify: {said}");
}

/// The GitHub Actions snippet: the install step names this workspace's scanner package and its lock file is
/// committed (`--locked`), and the scan step, run as written in a checkout with a secret, writes SARIF and fails
/// the job (exit 1) while leaving the file for the upload step.
#[test]
fn readme_github_actions_steps_work() {
    let text = readme();
    let workflow = block(&text, "yaml", "### GitHub Actions");
    let runs: Vec<&str> = workflow.lines().filter_map(|l| l.trim().strip_prefix("- run: ")).collect();
    assert_eq!(runs.len(), 2, "{runs:?}");
    let install: Vec<&str> = runs[0].split_whitespace().collect();
    assert_eq!(&install[..3], ["cargo", "install", "--locked"]);
    assert_eq!(install.last(), Some(&"credsweep"), "the package to install from the workspace");
    let manifest = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("Cargo.toml")).unwrap();
    assert!(manifest.contains("name = \"credsweep\"") && manifest.contains("[[bin]]\nname = \"credsweep\""));
    let repo_url = install[install.iter().position(|a| *a == "--git").unwrap() + 1];
    assert!(manifest.contains(&format!("repository = \"{repo_url}\"")), "one project URL: {repo_url}");
    let mut lock = Command::new("git");
    lock.args(["ls-files", "--error-unmatch", "Cargo.lock"]).current_dir(env!("CARGO_MANIFEST_DIR"));
    let lock = lock.output().unwrap();
    assert!(lock.status.success(), "Cargo.lock is committed (cargo install --locked)");
    assert!(workflow.contains("--rev") || text.contains("--rev <full commit id>"), "how to pin a revision");
    let t = tree();
    let mut rng = Rng::new();
    git_in(t.path(), &["init", "-q"]);
    write(t.path(), "app/settings.py", &format!("TOKEN = '{}'\n", github_token(&mut rng)));
    let r = sh(&runs[1].replacen("credsweep", &bin().display().to_string(), 1), t.path(), &[]);
    assert_eq!(r.code(), 1, "{}", r.stderr());
    let sarif: Value =
        serde_json::from_str(&std::fs::read_to_string(t.path().join("credsweep.sarif")).unwrap()).unwrap();
    assert_eq!(sarif["runs"][0]["results"].as_array().unwrap().len(), 1);
    assert_eq!(sarif["runs"][0]["tool"]["driver"]["informationUri"], repo_url);
}

/// `.pre-commit-hooks.yaml`, read the way pre-commit reads it (a list of hooks with these keys).
fn hook_definitions() -> Vec<BTreeMap<String, String>> {
    let text = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(".pre-commit-hooks.yaml")).unwrap();
    let mut hooks: Vec<BTreeMap<String, String>> = Vec::new();
    for line in text.lines().filter(|l| !l.trim_start().starts_with('#') && !l.trim().is_empty()) {
        let (new, rest) = match line.strip_prefix("- ") {
            Some(r) => (true, r),
            None => (false, line.trim_start()),
        };
        if new {
            hooks.push(BTreeMap::new());
        }
        let (k, v) = rest.split_once(':').unwrap_or_else(|| panic!("not key: value: {line}"));
        hooks.last_mut().expect("a hook starts with '- '").insert(k.trim().to_owned(), v.trim().to_owned());
    }
    hooks
}

/// Run a hook as pre-commit would: its entry (split into words), then the staged files when it takes file names,
/// from the repository's top level.
fn run_hook(hook: &BTreeMap<String, String>, repo: &Path) -> Run {
    let entry: Vec<&str> = hook["entry"].split_whitespace().collect();
    assert_eq!(entry[0], "credsweep", "the hook runs the binary cargo installs");
    let mut c = Command::new(bin());
    c.args(&entry[1..]);
    if hook.get("pass_filenames").map(String::as_str) != Some("false") {
        let mut git = Command::new("git");
        git.arg("-C").arg(repo).args(["diff", "--cached", "--name-only", "--diff-filter=ACMR"]);
        let staged = String::from_utf8(git.output().unwrap().stdout).unwrap();
        c.args(staged.lines());
    }
    exec(c, repo, &[])
}

/// The hooks pre-commit installs from this repository: defined as pre-commit requires, referenced by the README's
/// config, and refusing a commit with a secret — saying a staged secret is not committed yet, that one an earlier
/// commit holds is in history, and how to accept a false positive.
#[test]
fn pre_commit_hooks_refuse_a_secret_and_say_what_to_do() {
    let hooks = hook_definitions();
    let text = readme();
    let config = block(&text, "yaml", "### pre-commit");
    for hook in &hooks {
        for key in ["id", "name", "entry", "language"] {
            assert!(hook.contains_key(key), "{hook:?} lacks {key}");
        }
        assert_eq!(hook["language"], "rust", "built by cargo from this repository's Cargo.toml");
        assert!(config.contains(&format!("id: {}", hook["id"])), "the README shows hook {}", hook["id"]);
    }
    assert!(
        config.contains("rev: main") && config.contains("autoupdate --freeze"),
        "a rev that exists, and how to pin"
    );
    let mut rng = Rng::new();
    let t = tree();
    let repo = t.path();
    git_in(repo, &["init", "-q"]);
    let old = github_token(&mut rng);
    write(repo, "app/config.py", &format!("OLD = '{old}'\n"));
    git_in(repo, &["add", "."]);
    git_in(repo, &["commit", "-q", "-m", "before the hook"]);
    let added = github_token(&mut rng);
    let fresh = github_token(&mut rng);
    write(repo, "app/config.py", &format!("OLD = '{old}'\nADDED = '{added}'\n"));
    write(repo, "deploy/new.env", &format!("TOKEN={fresh}\n"));
    git_in(repo, &["add", "."]);
    assert_eq!(hooks.len(), 2);
    for hook in &hooks {
        let r = run_hook(hook, repo);
        assert_eq!(r.code(), 1, "hook {}: the commit is refused\n{}{}", hook["id"], r.stdout(), r.stderr());
        let out = r.stdout();
        let advice = |path: &str, what: &str| {
            out.split("\n\n").any(|credential| credential.contains(&format!("{path}:")) && credential.contains(what))
        };
        assert!(
            advice("deploy/new.env", "not committed yet (deploy/new.env): remove it from the staged change"),
            "{out}"
        );
        assert!(advice("app/config.py:2", "not committed yet (app/config.py)"), "{out}");
        assert!(advice("app/config.py:1", "it is in git history (app/config.py)"), "{out}");
        assert!(!out.contains("rotating is the only fix"), "{out}");
        for how in ["credsweep:allow", "credsweep baseline create", "allow_fingerprints"] {
            assert!(out.contains(how), "how to accept a false positive: {how}\n{out}");
        }
        assert!(!out.contains(&added) && !out.contains(&fresh), "no raw secret");
    }
}

/// `credsweep man --dir DIR`: a page per command, and every option of `scan` in `credsweep-scan.1`.
#[test]
fn man_pages_per_command_hold_every_option() {
    use clap::CommandFactory;
    let t = tree();
    let r = run(&["man", "--dir", t.path().to_str().unwrap()]);
    assert_eq!(r.code(), 0, "{}", r.stderr());
    let cmd = credsweep::cli::Cli::command();
    for sub in cmd.get_subcommands().filter(|s| s.get_name() != "help") {
        let page = t.path().join(format!("credsweep-{}.1", sub.get_name()));
        assert!(page.is_file(), "{}", page.display());
    }
    assert!(t.path().join("credsweep.1").is_file() && t.path().join("credsweep-rules-list.1").is_file());
    let scan_page = std::fs::read_to_string(t.path().join("credsweep-scan.1")).unwrap();
    let scan = cmd.find_subcommand("scan").unwrap();
    let mut seen = 0;
    for arg in scan.get_arguments().filter(|a| a.get_long().is_some()) {
        let long = format!("\\fB\\-\\-{}\\fR", arg.get_long().unwrap().replace('-', "\\-"));
        assert!(scan_page.contains(&long), "credsweep-scan.1 lacks --{}", arg.get_long().unwrap());
        seen += 1;
    }
    assert!(seen > 40, "scan has {seen} options");
    assert!(scan_page.contains("json with \\-\\-output\\-dir"), "option help is in the page");
    assert_eq!(run(&["man", "--dir", t.path().join("missing").to_str().unwrap()]).code(), 2);
    let top = run(&["man"]);
    assert!(top.code() == 0 && top.stdout().contains("credsweep\\-scan(1)"), "the top page names the others");
}

/// `rules list`: sorted by id, as text and as JSON with the same rules.
#[test]
fn rules_list_is_sorted_and_speaks_json() {
    let text = run(&["rules", "list"]);
    assert_eq!(text.code(), 0);
    let ids: Vec<String> = text.stdout().lines().map(|l| l.split('\t').next().unwrap().to_owned()).collect();
    let mut sorted = ids.clone();
    sorted.sort();
    assert_eq!(ids, sorted);
    assert!(ids.len() > 600);
    let json = run(&["rules", "list", "--format", "json"]);
    assert_eq!(json.code(), 0);
    let v: Vec<Value> = serde_json::from_str(&json.stdout()).unwrap();
    assert_eq!(v.iter().map(|r| r["id"].as_str().unwrap().to_owned()).collect::<Vec<_>>(), ids);
    let gh = v.iter().find(|r| r["id"] == "github-pat-classic").unwrap();
    for key in ["name", "kind", "severity", "confidence", "provider", "rotate", "references"] {
        assert!(gh.get(key).is_some(), "{key}: {gh}");
    }
    assert_eq!(run(&["rules", "list", "--format", "yaml"]).code(), 2);
}

/// `--color`: `always` colours even into a pipe and over `NO_COLOR`, `never` never, `auto` not into a pipe.
#[test]
fn color_choice() {
    let mut rng = Rng::new();
    let t = tree();
    write(t.path(), "a.txt", &github_token(&mut rng));
    let p = t.path().to_str().unwrap();
    let has_escape = |args: &[&str], env: &[(&str, &str)]| run_full(args, None, None, env).stdout().contains('\x1b');
    assert!(has_escape(&["scan", p, "--color", "always"], &[]));
    assert!(has_escape(&["scan", p, "--color", "always"], &[("NO_COLOR", "1")]), "the flag outranks NO_COLOR");
    assert!(!has_escape(&["scan", p, "--color", "never"], &[]));
    assert!(!has_escape(&["scan", p], &[("NO_COLOR", "")]), "auto: not into a pipe");
    assert_eq!(run(&["scan", p, "--color", "sometimes"]).code(), 2);
}

/// `-v`: each skipped entry and why, on stderr; the report is unchanged.
#[test]
fn verbose_names_what_is_skipped_and_why() {
    let t = tree();
    write(t.path(), "node_modules/pkg/index.js", "x");
    // An ELF executable's header (64-bit, little-endian, e_type EXEC): skipped unless --scan-binaries.
    let mut elf = vec![0u8; 64];
    elf[..7].copy_from_slice(b"\x7fELF\x02\x01\x01");
    elf[16] = 2;
    std::fs::write(t.path().join("tool.bin"), elf).unwrap();
    std::os::unix::fs::symlink("/etc/hostname", t.path().join("link")).unwrap();
    write(t.path(), "big.txt", &"x".repeat(2048));
    let r = run(&["scan", t.path().to_str().unwrap(), "-v", "--max-file-size", "1K", "--format", "json"]);
    assert_eq!(r.code(), 0, "{}", r.stderr());
    let err = r.stderr();
    for (name, why) in [
        ("node_modules", "a default exclude"),
        ("tool.bin", "an executable"),
        ("link", "a symbolic link"),
        ("big.txt", "larger than --max-file-size"),
    ] {
        assert!(err.lines().any(|l| l.contains(name) && l.contains(why)), "{name}: {why}\n{err}");
    }
    assert!(
        run(&["scan", t.path().to_str().unwrap(), "--format", "json"]).stderr().lines().count() <= 1,
        "quiet without -v"
    );
    assert_eq!(r.json()["stats"]["skipped"]["executable"], 1);
}

/// `--output-dir` writes JSON unless `--format` says otherwise, into a directory it creates.
#[test]
fn output_dir_defaults_to_json_and_is_created() {
    let mut rng = Rng::new();
    let t = tree();
    write(t.path(), "src/a.txt", &github_token(&mut rng));
    let src = t.path().join("src");
    let out = t.path().join("state/credsweep");
    let r = run(&["scan", src.to_str().unwrap(), "--output-dir", out.to_str().unwrap(), "-q"]);
    assert_eq!(r.code(), 1, "{}", r.stderr());
    let name = |dir: &Path| {
        std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .find(|n| n.starts_with("credsweep-"))
            .unwrap()
    };
    let json = name(&out);
    assert!(json.ends_with(".json"), "{json}");
    serde_json::from_str::<Value>(&std::fs::read_to_string(out.join(&json)).unwrap()).expect("JSON");
    let human = t.path().join("human");
    let r = run(&["scan", src.to_str().unwrap(), "--output-dir", human.to_str().unwrap(), "--format", "human", "-q"]);
    assert_eq!(r.code(), 1);
    assert!(name(&human).ends_with(".txt"));
    std::fs::write(t.path().join("file"), "").unwrap();
    let r = run(&["scan", src.to_str().unwrap(), "--output-dir", t.path().join("file").to_str().unwrap()]);
    assert_eq!(r.code(), 2, "a file is not a directory");
}

/// The human summary counts what was suppressed, by reason: baseline, inline marker, confidence.
#[test]
fn human_summary_shows_suppressions() {
    let mut rng = Rng::new();
    let t = tree();
    let repo = t.path().join("repo");
    write(&repo, "a.py", &format!("A = '{}'\nB = '{}'\n", github_token(&mut rng), github_token(&mut rng)));
    let baseline = t.path().join("baseline.json");
    assert_eq!(run(&["baseline", "create", "-o", baseline.to_str().unwrap(), repo.to_str().unwrap()]).code(), 0);
    write(&repo, "b.py", &format!("C = '{}'  # credsweep:allow\n", github_token(&mut rng)));
    write(&repo, "c.env", &format!("DB_PASSWORD={}\n", rng.string(crate::common::B62, 24)));
    let r =
        run(&["scan", repo.to_str().unwrap(), "--baseline", baseline.to_str().unwrap(), "--min-confidence", "high"]);
    assert_eq!(r.code(), 0, "{}{}", r.stdout(), r.stderr());
    let out = r.stdout();
    assert!(out.starts_with("0 credentials in 0 findings"), "{out}");
    assert!(out.contains(" · 4 suppressed (baseline 2, confidence 1, inline 1) · "), "{out}");
}

/// What the human report advises, end to end: a key at 0600 with a copy at 0644 (chmod for the copy only), a
/// kubeconfig key (no ssh-keygen), and an AWS key pair whose two halves carry one identifier and never the key id.
#[test]
fn human_advice_end_to_end() {
    let mut rng = Rng::new();
    let t = tree();
    let home = t.path();
    crate::common::ssh_keygen(&["-q", "-t", "ed25519", "-N", "", "-f", home.join("id_ed25519").to_str().unwrap()]);
    std::fs::remove_file(home.join("id_ed25519.pub")).unwrap();
    std::fs::create_dir_all(home.join("backup")).unwrap();
    std::fs::copy(home.join("id_ed25519"), home.join("backup/id_ed25519")).unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(home.join("id_ed25519"), std::fs::Permissions::from_mode(0o600)).unwrap();
    std::fs::set_permissions(home.join("backup/id_ed25519"), std::fs::Permissions::from_mode(0o644)).unwrap();
    let pem = Command::new("openssl").args(["genpkey", "-algorithm", "ed25519"]).output().unwrap().stdout;
    use base64::Engine as _;
    let data = base64::engine::general_purpose::STANDARD.encode(&pem);
    write(
        home,
        ".kube/config",
        &format!("apiVersion: v1\nkind: Config\nusers:\n- name: admin\n  user:\n    client-key-data: {data}\n"),
    );
    let key_id = aws_key_id(&mut rng);
    let secret = rng.string(crate::common::B62, 40);
    write(
        home,
        ".aws/credentials",
        &format!("[default]\naws_access_key_id = {key_id}\naws_secret_access_key = {secret}\n"),
    );
    write(home, "proj/.env", &format!("AWS_ACCESS_KEY_ID={key_id}\n"));
    let r = run(&["scan", home.to_str().unwrap()]);
    assert_eq!(r.code(), 1, "{}", r.stderr());
    let out = r.stdout();
    let part = |marker: &str| {
        out.split("\n\n").find(|c| c.contains(marker)).unwrap_or_else(|| panic!("{marker}: {out}")).to_owned()
    };
    let key = part("id_ed25519:1:1");
    let backup = home.join("backup/id_ed25519").display().to_string();
    assert!(
        key.contains(&format!("fix: restrict it: chmod 600 {backup}\n"))
            || key.ends_with(&format!("chmod 600 {backup}")),
        "{key}"
    );
    assert!(
        !key.contains(&format!("chmod 600 {}", home.join("id_ed25519").display())),
        "the 0600 original is fine: {key}"
    );
    let kube = part(".kube/config:");
    assert!(!kube.contains("ssh-keygen") && kube.contains("a kubeconfig cannot hold an encrypted key"), "{kube}");
    assert!(!out.contains(&key_id), "the key id is redacted everywhere, identifiers included: {out}");
    let v = scan_json(home, &[]).json();
    let id_of = |fp: &str| {
        findings(&v).iter().filter(|f| f["fingerprint"] == fp).map(|f| f.get("identifier").cloned()).collect::<Vec<_>>()
    };
    let ids = id_of(&sha256(&key_id));
    assert_eq!(ids.len(), 2, ".aws/credentials and .env");
    assert!(ids.iter().all(|i| *i == ids[0]), "the same identifier in every file: {ids:?}");
    assert_eq!(id_of(&sha256(&secret)), vec![ids[0].clone()], "and on the secret key");
}

/// Issue #16: a file of 40,000 AWS key ids, and 100,000 findings across 50 files, in every format: each report is
/// complete, ordered and grouped right, and all four say the same. (Speed is measured by hand and in the README;
/// here it must simply finish.)
#[test]
fn reports_of_many_findings_in_every_format() {
    let mut rng = Rng::seeded(16);
    let t = tree();
    let one = t.path().join("one");
    let ids: Vec<String> = (0..40_000).map(|_| aws_key_id(&mut rng)).collect();
    write(&one, "ids.txt", &(ids.join("\n") + "\n"));
    let (found, credentials) = check_every_format(&one);
    // A random id may look like a placeholder now and then: nearly all are found, each its own credential.
    assert!(found > 39_900 && credentials == found, "{found} findings, {credentials} credentials");
    let many = t.path().join("many");
    let shared = github_token(&mut rng);
    for f in 0..50 {
        let mut text = String::new();
        for i in 0..1_999 {
            text.push_str(&format!("id{i} {}\n", aws_key_id(&mut rng)));
        }
        text.push_str(&format!("token {shared}\n"));
        write(&many, &format!("d{}/f{f:02}.txt", f % 5), &text);
    }
    let (found, credentials) = check_every_format(&many);
    assert!(found > 99_800, "{found}");
    assert_eq!(credentials, found - 49, "the shared token is one credential in 50 places");
}

/// Scan `dir` in every format; check each report against the JSON one. Returns (findings, credentials).
fn check_every_format(dir: &Path) -> (usize, usize) {
    let d = dir.to_str().unwrap();
    let json = run(&["scan", d, "--format", "json", "-q"]);
    assert_eq!(json.code(), 1, "{}", json.stderr());
    let v = json.json();
    let fs = findings(&v);
    let n = fs.len();
    assert_eq!(v["stats"]["findings"], n as u64);
    let keys: Vec<(&str, u64)> =
        fs.iter().map(|f| (f["path"].as_str().unwrap(), f["line"].as_u64().unwrap())).collect();
    assert!(keys.windows(2).all(|w| w[0] <= w[1]), "report order");
    let creds = v["credentials"].as_array().unwrap();
    assert_eq!(creds.iter().map(|c| c["locations"].as_u64().unwrap()).sum::<u64>(), n as u64);
    let mut ids: Vec<&str> =
        creds.iter().flat_map(|c| c["finding_ids"].as_array().unwrap()).map(|i| i.as_str().unwrap()).collect();
    ids.sort_unstable();
    let mut own: Vec<&str> = fs.iter().map(|f| f["id"].as_str().unwrap()).collect();
    own.sort_unstable();
    own.dedup();
    assert_eq!(ids, own, "every finding's id under its credential, once");
    let jsonl = run(&["scan", d, "--format", "jsonl", "-q"]);
    assert_eq!(jsonl.stdout().lines().count(), n);
    let sarif = run(&["scan", d, "--format", "sarif", "-q"]);
    assert_eq!(sarif.json()["runs"][0]["results"].as_array().unwrap().len(), n);
    let human = run(&["scan", d, "--format", "human", "-q"]);
    assert_eq!(human.code(), 1);
    let out = human.stdout();
    let places = out.lines().filter(|l| l.starts_with("         ") && l.contains(".txt:")).count();
    assert_eq!(places, n, "every place printed once");
    let headers = out.lines().filter(|l| !l.starts_with(' ') && l.contains("  ") && !l.contains('·')).count();
    assert_eq!(headers, creds.len(), "one header per credential");
    assert!(out.contains(&format!("{} credentials in {n} findings", creds.len())));
    (n, creds.len())
}
