//! The test harness: one moto server (the real emulator, in server mode) per test binary on a
//! free loopback port, a `cartctl()` builder that runs the built binary against it with dummy
//! credentials and no user configuration, AWS SDK clients to read back what was stored and
//! delivered, and a sentinel endpoint that counts connections (to prove nothing was sent).

#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Output, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use serde_json::{Value, json};

pub const ACCOUNT: &str = "123456789012";
pub const REGION: &str = "us-east-1";
pub const ROLE: &str = "arn:aws:iam::123456789012:role/cart-reminder-scheduler";

/// The running emulator (`scripts/emulator.py`, the project's local AWS). `endpoint` is the
/// strict AWS double in front of moto (`tests/support/strictaws.py`), which every test goes
/// through; `moto_endpoint` is moto itself.
pub struct Emulator {
    pub endpoint: String,
    pub moto_endpoint: String,
    strict: bool,
    _child: Mutex<Child>,
    _stdin: Mutex<ChildStdin>,
}

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The Python of the emulator's virtual environment.
pub fn venv_python() -> PathBuf {
    let venv = std::env::var_os("CARTCTL_VENV")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo().join(".venv"));
    let python = venv.join("bin").join("python");
    assert!(
        python.exists(),
        "the emulator is not installed at {}: run scripts/install-emulator (scripts/test does)",
        venv.display()
    );
    python
}

/// Runs `scripts/emulator.py` with `args`; it stops when dropped (its stdin closes) or when the
/// test process exits. Returns the child, its stdin and the first `lines` it printed.
fn spawn_emulator(args: &[String], lines: usize) -> (Child, ChildStdin, Vec<String>) {
    let mut child = Command::new(venv_python())
        .arg(repo().join("scripts/emulator.py"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start the emulator");
    let stdin = child.stdin.take().expect("piped stdin");
    let mut stdout = BufReader::new(child.stdout.take().expect("piped stdout"));
    let mut out = Vec::new();
    for _ in 0..lines {
        let mut line = String::new();
        stdout
            .read_line(&mut line)
            .expect("read the emulator's address");
        out.push(line.trim().to_owned());
    }
    (child, stdin, out)
}

/// The URL after `prefix` on a line the emulator printed.
fn address(line: &str, prefix: &str) -> String {
    line.strip_prefix(prefix)
        .unwrap_or_else(|| panic!("unexpected emulator output: {line:?}"))
        .to_owned()
}

/// moto of its own, without the strict double.
pub fn private_emulator() -> Emulator {
    let (child, stdin, lines) = spawn_emulator(&["--moto-only".into()], 1);
    let endpoint = address(&lines[0], "listening on ");
    Emulator {
        moto_endpoint: endpoint.clone(),
        endpoint,
        strict: false,
        _child: Mutex::new(child),
        _stdin: Mutex::new(stdin),
    }
}

/// An emulator of its own: moto behind a strict AWS double started with `options`, its
/// Scheduler clock stopped (a still world: nothing fires unless a test fires it).
pub fn private_strict_emulator(options: &[String]) -> Emulator {
    let mut options = options.to_vec();
    options.push("--no-fire".into());
    strict_emulator_with(&options)
}

/// An emulator of its own whose Scheduler clock runs: one-time schedules fire when due.
pub fn firing_emulator() -> Emulator {
    strict_emulator_with(&[])
}

fn strict_emulator_with(options: &[String]) -> Emulator {
    let (child, stdin, lines) = spawn_emulator(options, 2);
    Emulator {
        endpoint: address(&lines[0], "listening on "),
        moto_endpoint: address(&lines[1], "moto on "),
        strict: true,
        _child: Mutex::new(child),
        _stdin: Mutex::new(stdin),
    }
}

/// The emulator shared by this test binary, behind the strict AWS double, started on first use.
pub fn emulator() -> &'static Emulator {
    static EMU: OnceLock<Emulator> = OnceLock::new();
    EMU.get_or_init(|| private_strict_emulator(&[]))
}

impl Emulator {
    /// The strict double's counters (see `tests/support/strictaws.py`).
    pub fn strict_stats(&self) -> Value {
        assert!(self.strict, "this emulator has a strict double");
        stats_of(&self.endpoint, "/__strict/stats")
    }
}

/// A name no other test (or earlier run against the same emulator) uses.
pub fn unique(prefix: &str) -> String {
    static N: AtomicUsize = AtomicUsize::new(0);
    let n = N.fetch_add(1, Ordering::Relaxed);
    let t = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis()
        % 100_000_000;
    format!("{prefix}-{}-{t}-{n}", std::process::id() % 100_000)
}

/// An empty file, for AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE.
fn empty_file() -> &'static Path {
    static F: OnceLock<tempfile::NamedTempFile> = OnceLock::new();
    F.get_or_init(|| tempfile::NamedTempFile::new().unwrap())
        .path()
}

/// A cartctl invocation being built.
pub struct Cartctl {
    cmd: Command,
    stdin: Option<Vec<u8>>,
}

/// What a cartctl run did.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// Parses stdout as one JSON document.
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not JSON ({e}): {self:?}"))
    }

    /// Parses stdout as NDJSON.
    pub fn ndjson(&self) -> Vec<Value> {
        self.stdout
            .lines()
            .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("bad line {l:?}: {e}")))
            .collect()
    }

    /// Asserts the exit code, showing the output when it differs.
    #[track_caller]
    pub fn code(&self, expected: i32) -> &Self {
        assert_eq!(self.code, expected, "unexpected exit code: {self:#?}");
        self
    }

    #[track_caller]
    pub fn success(&self) -> &Self {
        self.code(0)
    }
}

/// The postal address the tests' shop gives.
pub const POSTAL_ADDRESS: &str = "Test Shop Ltd, 1 Test Street, Testville";

/// cartctl, pointed at the emulator, with dummy credentials and no user configuration.
pub fn cartctl() -> Cartctl {
    cartctl_at(&emulator().endpoint)
}

/// `cartctl schedule` into a group and bus, with the test role.
pub fn schedule_into(group: &str, bus: &str) -> Cartctl {
    cartctl().args([
        "schedule",
        "--group",
        group,
        "--bus",
        bus,
        "--role-arn",
        ROLE,
    ])
}

/// A command's environment cleared down to PATH, dummy credentials and the emulator.
pub fn emulator_env(cmd: &mut Command) -> &mut Command {
    cmd.env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .env("AWS_REGION", REGION)
        .env("AWS_ENDPOINT_URL", &emulator().endpoint)
        .env("AWS_EC2_METADATA_DISABLED", "true")
}

/// cartctl pointed at `endpoint`.
pub fn cartctl_at(endpoint: &str) -> Cartctl {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_cartctl"));
    cmd.env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", std::env::temp_dir())
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .env("AWS_REGION", REGION)
        .env("AWS_ENDPOINT_URL", endpoint)
        .env("AWS_CONFIG_FILE", empty_file())
        .env("AWS_SHARED_CREDENTIALS_FILE", empty_file())
        .env("AWS_EC2_METADATA_DISABLED", "true")
        // A shop's address, as every shop that sends gives one (setup --mail-from needs it).
        .env("CARTCTL_MAIL_POSTAL_ADDRESS", POSTAL_ADDRESS);
    Cartctl { cmd, stdin: None }
}

impl Cartctl {
    pub fn args<I, S>(mut self, args: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<std::ffi::OsStr>,
    {
        self.cmd.args(args);
        self
    }

    /// Runs in `dir`.
    pub fn current_dir(mut self, dir: &Path) -> Self {
        self.cmd.current_dir(dir);
        self
    }

    /// Adds `flag PATH`.
    pub fn arg_path(mut self, flag: &str, path: &Path) -> Self {
        self.cmd.arg(flag).arg(path);
        self
    }

    pub fn env(mut self, key: &str, value: impl AsRef<std::ffi::OsStr>) -> Self {
        self.cmd.env(key, value);
        self
    }

    pub fn env_remove(mut self, key: &str) -> Self {
        self.cmd.env_remove(key);
        self
    }

    pub fn stdin(mut self, data: impl Into<Vec<u8>>) -> Self {
        self.stdin = Some(data.into());
        self
    }

    /// Runs to completion.
    pub fn run(mut self) -> Run {
        self.cmd
            .stdin(if self.stdin.is_some() {
                Stdio::piped()
            } else {
                Stdio::null()
            })
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = self.cmd.spawn().expect("run cartctl");
        if let Some(data) = self.stdin.take() {
            let mut stdin = child.stdin.take().unwrap();
            std::thread::spawn(move || {
                let _ = stdin.write_all(&data);
            });
        }
        let Output {
            status,
            stdout,
            stderr,
        } = child.wait_with_output().expect("wait for cartctl");
        Run {
            code: status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&stdout).into_owned(),
            stderr: String::from_utf8_lossy(&stderr).into_owned(),
        }
    }

    /// Runs to completion under a wrapper (`strace …`), which gets the command line appended.
    pub fn run_under(self, wrapper: &[&str]) -> Run {
        let inner = self.cmd;
        let mut cmd = Command::new(wrapper[0]);
        cmd.args(&wrapper[1..])
            .arg(inner.get_program())
            .args(inner.get_args());
        cmd.env_clear();
        for (k, v) in inner.get_envs() {
            if let Some(v) = v {
                cmd.env(k, v);
            }
        }
        Cartctl {
            cmd,
            stdin: self.stdin,
        }
        .run()
    }

    /// Spawns without waiting, with piped stdout and stderr.
    pub fn spawn(mut self) -> Child {
        self.cmd
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn cartctl")
    }
}

/// An endpoint that accepts connections, counts them, and never answers.
/// A bad-input run pointed at it must leave the count at zero.
pub struct Sentinel {
    pub endpoint: String,
    hits: Arc<AtomicUsize>,
}

impl Sentinel {
    pub fn start() -> Sentinel {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let endpoint = format!("http://{}", listener.local_addr().unwrap());
        let hits = Arc::new(AtomicUsize::new(0));
        let h = hits.clone();
        std::thread::spawn(move || {
            for conn in listener.incoming() {
                h.fetch_add(1, Ordering::SeqCst);
                // Read and drop; the client times out or gives up.
                if let Ok(mut c) = conn {
                    std::thread::spawn(move || {
                        let mut buf = [0u8; 1024];
                        let _ = c.set_read_timeout(Some(Duration::from_secs(5)));
                        let _ = c.read(&mut buf);
                    });
                }
            }
        });
        Sentinel { endpoint, hits }
    }

    pub fn hits(&self) -> usize {
        self.hits.load(Ordering::SeqCst)
    }
}

/// A runtime for the SDK clients of the tests.
pub fn rt() -> &'static tokio::runtime::Runtime {
    static RT: OnceLock<tokio::runtime::Runtime> = OnceLock::new();
    RT.get_or_init(|| {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap()
    })
}

fn sdk_config() -> &'static aws_config::SdkConfig {
    static CFG: OnceLock<aws_config::SdkConfig> = OnceLock::new();
    CFG.get_or_init(|| sdk_config_at(&emulator().endpoint))
}

/// The SDK's configuration for an emulator at `endpoint` (one of a test's own).
pub fn sdk_config_at(endpoint: &str) -> aws_config::SdkConfig {
    // The SDK crates are built without a default HTTP client (cartctl brings its own).
    let http = aws_smithy_http_client::Builder::new()
        .tls_provider(aws_smithy_http_client::tls::Provider::Rustls(
            aws_smithy_http_client::tls::rustls_provider::CryptoMode::Ring,
        ))
        .build_https();
    rt().block_on(
        aws_config::defaults(aws_config::BehaviorVersion::latest())
            .http_client(http)
            .region(aws_config::Region::new(REGION))
            .endpoint_url(endpoint)
            .credentials_provider(aws_credential_types::Credentials::new(
                "testing", "testing", None, None, "tests",
            ))
            .load(),
    )
}

pub fn scheduler() -> aws_sdk_scheduler::Client {
    aws_sdk_scheduler::Client::new(sdk_config())
}

pub fn apigw() -> aws_sdk_apigatewayv2::Client {
    aws_sdk_apigatewayv2::Client::new(sdk_config())
}

pub fn ses() -> aws_sdk_sesv2::Client {
    aws_sdk_sesv2::Client::new(sdk_config())
}

pub fn events() -> aws_sdk_eventbridge::Client {
    aws_sdk_eventbridge::Client::new(sdk_config())
}

pub fn dynamodb() -> aws_sdk_dynamodb::Client {
    aws_sdk_dynamodb::Client::new(sdk_config())
}

/// The account's contact list (with the reminders' topic, `cart-reminders`, opt-out) and a
/// configuration set of this test binary, for the mailer functions run outside setup:
/// `(contact_list, configuration_set)`.
pub fn shared_mail_lists() -> &'static (String, String) {
    static LISTS: OnceLock<(String, String)> = OnceLock::new();
    LISTS.get_or_init(|| {
        use aws_sdk_sesv2::types::{SubscriptionStatus, Topic};
        let ses = ses();
        let topic = Topic::builder()
            .topic_name("cart-reminders")
            .display_name("Cart reminders")
            .default_subscription_status(SubscriptionStatus::OptIn)
            .build()
            .unwrap();
        let first = || {
            rt().block_on(ses.list_contact_lists().send())
                .unwrap()
                .contact_lists()
                .first()
                .and_then(|l| l.contact_list_name().map(str::to_owned))
        };
        let list = first().unwrap_or_else(|| {
            let name = unique("contacts");
            // Another test's setup may make the account's one list meanwhile: then it is that.
            let made = rt().block_on(
                ses.create_contact_list()
                    .contact_list_name(&name)
                    .topics(topic)
                    .send(),
            );
            made.map(|_| name)
                .ok()
                .or_else(first)
                .expect("a contact list")
        });
        let set = unique("mail");
        rt().block_on(
            ses.create_configuration_set()
                .configuration_set_name(&set)
                .send(),
        )
        .unwrap();
        (list, set)
    })
}

/// A ledger table shared by this test binary (made once, as setup makes it: `pk` and `sk`
/// strings), for tests that run a consumer or a mailer without a setup of their own.
pub fn shared_ledger() -> &'static str {
    static TABLE: OnceLock<String> = OnceLock::new();
    TABLE.get_or_init(|| ledger_table(&unique("ledger")))
}

/// A new table `name` with the ledger's key schema (`pk` and `sk` strings); its name.
pub fn ledger_table(name: &str) -> String {
    {
        use aws_sdk_dynamodb::types::{
            AttributeDefinition, BillingMode, KeySchemaElement, KeyType, ScalarAttributeType,
        };
        let name = name.to_owned();
        let attribute = |n: &str| {
            AttributeDefinition::builder()
                .attribute_name(n)
                .attribute_type(ScalarAttributeType::S)
                .build()
                .unwrap()
        };
        let key = |n: &str, t: KeyType| {
            KeySchemaElement::builder()
                .attribute_name(n)
                .key_type(t)
                .build()
                .unwrap()
        };
        rt().block_on(
            dynamodb()
                .create_table()
                .table_name(&name)
                .attribute_definitions(attribute("pk"))
                .attribute_definitions(attribute("sk"))
                .key_schema(key("pk", KeyType::Hash))
                .key_schema(key("sk", KeyType::Range))
                .billing_mode(BillingMode::PayPerRequest)
                .send(),
        )
        .unwrap();
        name
    }
}

/// Every item of `user`'s partition of the ledger `table`, by sort key, each attribute as
/// text (numbers too).
pub fn ledger_items(
    table: &str,
    user: &str,
) -> std::collections::BTreeMap<String, std::collections::BTreeMap<String, String>> {
    use aws_sdk_dynamodb::types::AttributeValue;
    let out = rt()
        .block_on(
            dynamodb()
                .query()
                .table_name(table)
                .key_condition_expression("pk = :pk")
                .expression_attribute_values(
                    ":pk",
                    AttributeValue::S(cartctl_core::ledger::partition(user)),
                )
                .send(),
        )
        .unwrap();
    out.items()
        .iter()
        .map(|item| {
            let text = |v: &AttributeValue| match v {
                AttributeValue::S(s) | AttributeValue::N(s) => s.clone(),
                other => format!("{other:?}"),
            };
            let fields: std::collections::BTreeMap<String, String> =
                item.iter().map(|(k, v)| (k.clone(), text(v))).collect();
            (fields["sk"].clone(), fields)
        })
        .collect()
}

pub fn sqs() -> aws_sdk_sqs::Client {
    aws_sdk_sqs::Client::new(sdk_config())
}

pub fn cloudwatch() -> aws_sdk_cloudwatch::Client {
    aws_sdk_cloudwatch::Client::new(sdk_config())
}

pub fn iam() -> aws_sdk_iam::Client {
    aws_sdk_iam::Client::new(sdk_config())
}

/// Creates a schedule group.
pub fn create_group(name: &str) {
    rt().block_on(scheduler().create_schedule_group().name(name).send())
        .expect("create schedule group");
}

/// Creates an event bus; returns its ARN.
pub fn create_bus(name: &str) -> String {
    let out = rt()
        .block_on(events().create_event_bus().name(name).send())
        .expect("create event bus");
    out.event_bus_arn().unwrap().to_owned()
}

pub fn bus_arn(name: &str) -> String {
    format!("arn:aws:events:{REGION}:{ACCOUNT}:event-bus/{name}")
}

/// A fresh schedule group and event bus for one test.
pub struct Setup {
    pub group: String,
    pub bus: String,
    pub bus_arn: String,
}

pub fn setup() -> Setup {
    let group = unique("g");
    let bus = unique("bus");
    create_group(&group);
    let bus_arn = create_bus(&bus);
    Setup {
        group,
        bus,
        bus_arn,
    }
}

/// A schedule created directly with the SDK, as another tool would (the emulator even takes due
/// times in the past). With a bus target it gets EventBridge parameters.
pub struct RawSchedule<'a> {
    pub group: &'a str,
    pub name: &'a str,
    pub expression: &'a str,
    pub input: &'a str,
    pub action: &'a str,
    pub state: &'a str,
    pub target: &'a str,
    pub detail_type: &'a str,
}

impl RawSchedule<'_> {
    pub fn create(&self) {
        let mut t = aws_sdk_scheduler::types::Target::builder()
            .arn(self.target)
            .role_arn(ROLE)
            .input(self.input);
        if self.target.contains(":events:") && !self.detail_type.is_empty() {
            t = t.event_bridge_parameters(
                aws_sdk_scheduler::types::EventBridgeParameters::builder()
                    .source("putToCartService")
                    .detail_type(self.detail_type)
                    .build()
                    .unwrap(),
            );
        }
        rt().block_on(
            scheduler()
                .create_schedule()
                .group_name(self.group)
                .name(self.name)
                .schedule_expression(self.expression)
                .flexible_time_window(
                    aws_sdk_scheduler::types::FlexibleTimeWindow::builder()
                        .mode(aws_sdk_scheduler::types::FlexibleTimeWindowMode::Off)
                        .build()
                        .unwrap(),
                )
                .action_after_completion(self.action.into())
                .state(self.state.into())
                .target(t.build().unwrap())
                .send(),
        )
        .expect("create a schedule directly");
    }
}

/// A queue that receives every event put on a bus, through a catch-all rule.
pub struct BusRecorder {
    pub queue_url: String,
}

impl BusRecorder {
    pub fn on(bus: &str) -> BusRecorder {
        let name = unique("rec");
        let q = rt()
            .block_on(sqs().create_queue().queue_name(&name).send())
            .expect("create queue");
        let queue_url = q.queue_url().unwrap().to_owned();
        let attrs = rt()
            .block_on(
                sqs()
                    .get_queue_attributes()
                    .queue_url(&queue_url)
                    .attribute_names(aws_sdk_sqs::types::QueueAttributeName::QueueArn)
                    .send(),
            )
            .unwrap();
        let queue_arn = attrs
            .attributes()
            .unwrap()
            .get(&aws_sdk_sqs::types::QueueAttributeName::QueueArn)
            .unwrap()
            .clone();
        rt().block_on(
            events()
                .put_rule()
                .name(&name)
                .event_bus_name(bus)
                .event_pattern(r#"{"source":[{"prefix":""}]}"#)
                .send(),
        )
        .expect("put rule");
        rt().block_on(
            events()
                .put_targets()
                .rule(&name)
                .event_bus_name(bus)
                .targets(
                    aws_sdk_eventbridge::types::Target::builder()
                        .id("recorder")
                        .arn(queue_arn)
                        .build()
                        .unwrap(),
                )
                .send(),
        )
        .expect("put targets");
        BusRecorder { queue_url }
    }

    /// Every event delivered (as parsed envelopes): waits until at least `n` arrived (giving up
    /// after 10 s without a new one), then reads on until the queue stays empty for 1 s, so
    /// duplicates and strays are seen too.
    pub fn events(&self, n: usize) -> Vec<Value> {
        let mut out = Vec::new();
        let mut idle_since = std::time::Instant::now();
        let patience = |got: usize| Duration::from_secs(if got < n { 10 } else { 1 });
        while idle_since.elapsed() < patience(out.len()) {
            let r = rt()
                .block_on(
                    sqs()
                        .receive_message()
                        .queue_url(&self.queue_url)
                        .max_number_of_messages(10)
                        .wait_time_seconds(1)
                        .send(),
                )
                .unwrap();
            if r.messages().is_empty() {
                continue;
            }
            idle_since = std::time::Instant::now();
            let mut delete = Vec::new();
            for (i, m) in r.messages().iter().enumerate() {
                out.push(serde_json::from_str(m.body().unwrap()).unwrap());
                delete.push(
                    aws_sdk_sqs::types::DeleteMessageBatchRequestEntry::builder()
                        .id(i.to_string())
                        .receipt_handle(m.receipt_handle().unwrap())
                        .build()
                        .unwrap(),
                );
            }
            rt().block_on(
                sqs()
                    .delete_message_batch()
                    .queue_url(&self.queue_url)
                    .set_entries(Some(delete))
                    .send(),
            )
            .unwrap();
        }
        out
    }
}

/// GetSchedule, or `None` if it does not exist.
pub fn get_schedule(
    group: &str,
    name: &str,
) -> Option<aws_sdk_scheduler::operation::get_schedule::GetScheduleOutput> {
    rt().block_on(
        scheduler()
            .get_schedule()
            .group_name(group)
            .name(name)
            .send(),
    )
    .ok()
}

/// Every schedule name in a group.
pub fn schedule_names(group: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut token = None;
    loop {
        let out = rt()
            .block_on(
                scheduler()
                    .list_schedules()
                    .group_name(group)
                    .set_next_token(token)
                    .send(),
            )
            .unwrap();
        names.extend(
            out.schedules()
                .iter()
                .filter_map(|s| s.name().map(str::to_owned)),
        );
        token = out.next_token().map(str::to_owned);
        if token.is_none() {
            break;
        }
    }
    names.sort();
    names
}

/// Runs `prefix` + each case's arguments (adding `--user u --product p` unless the case sets
/// them) against the sentinel and asserts: exit 2, a short message on stderr naming the field,
/// nothing on stdout, and no connection made.
#[track_caller]
pub fn assert_refused(sentinel: &Sentinel, prefix: &[&str], cases: &[(Vec<&str>, &str)]) {
    for (extra, field) in cases {
        let mut args = prefix.to_vec();
        for (flag, default) in [("--user", "u"), ("--product", "p")] {
            if !extra.contains(&flag) {
                args.extend([flag, default]);
            }
        }
        let run = cartctl_at(&sentinel.endpoint).args(&args).args(extra).run();
        let shown: Vec<String> = extra.iter().map(|a| a.chars().take(40).collect()).collect();
        assert_eq!(run.code, 2, "{shown:?}: {}", run.stderr);
        assert!(
            run.stderr.contains(field),
            "{shown:?}: message does not name {field}: {}",
            run.stderr
        );
        let lines = run.stderr.lines().filter(|l| !l.trim().is_empty()).count();
        assert!(lines <= 4, "{shown:?}: too long a message: {}", run.stderr);
        assert!(run.stdout.is_empty(), "{shown:?}: {}", run.stdout);
    }
    assert_eq!(sentinel.hits(), 0, "bad input reached the network");
}

/// A proxy of `tests/support/` in front of an emulator: the fault-injecting proxy
/// (`faultproxy.py`) or the strict AWS double (`strictaws.py`).
pub struct SupportProxy {
    pub endpoint: String,
    stats_path: &'static str,
    _child: Child,
    _stdin: ChildStdin,
}

/// The fault-injecting proxy.
pub type FaultProxy = SupportProxy;

impl SupportProxy {
    /// Starts the fault proxy in front of `upstream` with the given options (`--faults 0.25` …).
    pub fn start(upstream: &str, options: &[String]) -> SupportProxy {
        Self::spawn("faultproxy.py", "/__proxy/stats", upstream, options)
    }

    fn spawn(
        script: &str,
        stats_path: &'static str,
        upstream: &str,
        options: &[String],
    ) -> SupportProxy {
        let mut child = Command::new(venv_python())
            .arg(repo().join("tests/support").join(script))
            .args(["--upstream", upstream, "--watch-stdin"])
            .args(options)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start the proxy");
        let stdin = child.stdin.take().unwrap();
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let endpoint = line
            .trim()
            .strip_prefix("listening on ")
            .unwrap_or_else(|| panic!("unexpected proxy output: {line:?}"))
            .to_owned();
        SupportProxy {
            endpoint,
            stats_path,
            _child: child,
            _stdin: stdin,
        }
    }

    /// The proxy's counters: requests, forwarded, throttled, error500, reset_before, ...
    pub fn stats(&self) -> Value {
        stats_of(&self.endpoint, self.stats_path)
    }

    /// How many requests reached the proxy.
    pub fn requests(&self) -> u64 {
        self.stats()["requests"].as_u64().unwrap_or(0)
    }
}

/// The JSON counters a support proxy (or the strict double) serves at `path`.
fn stats_of(endpoint: &str, path: &str) -> Value {
    ask_double(endpoint, "GET", path, "")
}

/// One request of the double's own (`/__strict/…`): its JSON answer.
fn ask_double(endpoint: &str, method: &str, path: &str, body: &str) -> Value {
    use std::net::TcpStream;
    let addr = endpoint.trim_start_matches("http://");
    let mut s = TcpStream::connect(addr).unwrap();
    write!(
        s,
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        let n = s.read(&mut chunk).unwrap();
        buf.extend_from_slice(&chunk[..n]);
        let text = String::from_utf8_lossy(&buf);
        if let Some(i) = text.find("\r\n\r\n") {
            let body = &text[i + 4..];
            if let Ok(v) = serde_json::from_str(body) {
                return v;
            }
        }
        if n == 0 {
            panic!("no stats from the proxy: {text}");
        }
    }
}

/// The fault seed and rate of the fault tests: `CARTCTL_FAULT_SEED` and `CARTCTL_FAULT_RATE`
/// override the defaults (7 and 0.25), so other runs can use other ones.
pub fn fault_options(default_seed: u64) -> (u64, f64) {
    let seed = std::env::var("CARTCTL_FAULT_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(default_seed);
    let rate = std::env::var("CARTCTL_FAULT_RATE")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0.25);
    (seed, rate)
}

/// A fault proxy in front of the emulator, with the seed and rate `CARTCTL_FAULT_SEED` and
/// `CARTCTL_FAULT_RATE` choose (else `seed` and 25 %) and the proxy's `extra` options.
pub fn faulty(seed: u64, extra: &[&str]) -> FaultProxy {
    let (seed, rate) = fault_options(seed);
    let mut options = vec![
        "--seed".to_owned(),
        seed.to_string(),
        "--faults".to_owned(),
        rate.to_string(),
    ];
    options.extend(extra.iter().map(|s| s.to_string()));
    eprintln!(
        "fault proxy: seed {seed}, {:.0}% of requests faulted {extra:?}",
        rate * 100.0
    );
    FaultProxy::start(&emulator().endpoint, &options)
}

/// Sets a queue's visibility timeout (a test that loses receives wants them back soon).
pub fn set_visibility(sqs: &aws_sdk_sqs::Client, url: &str, secs: u32) {
    rt().block_on(
        sqs.set_queue_attributes()
            .queue_url(url)
            .attributes(
                aws_sdk_sqs::types::QueueAttributeName::VisibilityTimeout,
                secs.to_string(),
            )
            .send(),
    )
    .unwrap();
}

pub fn sts() -> aws_sdk_sts::Client {
    aws_sdk_sts::Client::new(sdk_config())
}

/// One receive on `queue` (a long poll of `wait_secs`): the bodies it brings.
pub fn receive_bodies(queue: &str, wait_secs: i32) -> Vec<String> {
    let got = rt()
        .block_on(
            sqs()
                .receive_message()
                .queue_url(queue)
                .wait_time_seconds(wait_secs)
                .send(),
        )
        .unwrap();
    got.messages()
        .iter()
        .map(|m| m.body().unwrap_or_default().to_owned())
        .collect()
}

/// The e-mails moto's SES kept (`GET /moto-api/data.json`, `ses.Message`): each with
/// `source`, `destinations`, `subject` and `body` (moto keeps the HTML part when there is one).
/// moto serialises its whole state for that view, unlocked: a test changing the state at that
/// moment makes it answer 500 now and then, so a failed answer is asked again (a few times).
pub fn sent_mail() -> Vec<Value> {
    let mut last = String::new();
    for _ in 0..5 {
        match moto_data_view() {
            Ok(data) => {
                return data["ses"]["Message"]
                    .as_array()
                    .cloned()
                    .unwrap_or_default();
            }
            Err(answer) => last = answer,
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    panic!("moto's data view did not answer JSON five times; the last answer: {last}")
}

/// moto's data view as JSON, or the start of the answer that was not.
fn moto_data_view() -> Result<Value, String> {
    use std::net::TcpStream;
    let addr = emulator()
        .moto_endpoint
        .trim_start_matches("http://")
        .to_owned();
    let mut s = TcpStream::connect(&addr).unwrap();
    write!(
        s,
        "GET /moto-api/data.json HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut buf = Vec::new();
    s.read_to_end(&mut buf).unwrap();
    let text = String::from_utf8_lossy(&buf);
    let body = &text[text.find("\r\n\r\n").expect("an HTTP answer") + 4..];
    serde_json::from_str(body)
        .map_err(|e| format!("({e}) {}", text.chars().take(400).collect::<String>()))
}

/// The e-mails sent to `to`.
pub fn mail_to(to: &str) -> Vec<Value> {
    sent_mail()
        .into_iter()
        .filter(|m| {
            m["destinations"]["ToAddresses"]
                .as_array()
                .is_some_and(|a| a.iter().any(|t| t == to))
        })
        .collect()
}

/// The SendEmail requests SES (the strict double) took for `to`, as it recorded them:
/// `{"message_id","from","to","subject","text","html","configuration_set","list_management","tags"}`.
pub fn ses_sends_to(to: &str) -> Vec<Value> {
    let all = ask_double(&emulator().endpoint, "GET", "/__strict/ses/sent", "");
    all["sent"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .into_iter()
        .filter(|m| {
            m["to"]
                .as_array()
                .is_some_and(|a| a.iter().any(|t| t == to))
        })
        .collect()
}

/// Has SES publish an event of a recorded send (`kind` `Bounce`, `Complaint`, `Delivery`)
/// to its configuration set's EventBridge destinations, as the SES docs show it: how many
/// destinations took it.
pub fn ses_publish(message_id: &str, kind: &str, bounce_type: &str) -> u64 {
    let body = json!({"message_id": message_id, "type": kind, "bounce_type": bounce_type});
    let answer = ask_double(
        &emulator().endpoint,
        "POST",
        "/__strict/ses/publish",
        &body.to_string(),
    );
    answer["published"]
        .as_u64()
        .unwrap_or_else(|| panic!("SES did not publish: {answer}"))
}

/// The worker's NDJSON line about `user`.
pub fn line_of<'a>(lines: &'a [Value], user: &str) -> &'a Value {
    lines
        .iter()
        .find(|l| l["user"] == user)
        .unwrap_or_else(|| panic!("no line for {user}: {lines:?}"))
}

/// What `setup -o json` did: `"<kind> <name>"` → its change.
pub fn setup_changes(run: &Run) -> std::collections::BTreeMap<String, String> {
    run.json()["resources"]
        .as_array()
        .unwrap_or_else(|| panic!("{}{}", run.stdout, run.stderr))
        .iter()
        .map(|r| {
            let key = format!(
                "{} {}",
                r["kind"].as_str().unwrap(),
                r["name"].as_str().unwrap()
            );
            (key, r["change"].as_str().unwrap().to_owned())
        })
        .collect()
}

/// The status of the check `name` in a `doctor -o json` run.
pub fn check_status(doctor: &Run, name: &str) -> String {
    let out = doctor.json();
    let check = out["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["check"] == name)
        .unwrap_or_else(|| panic!("no check {name}: {}", doctor.stdout))
        .clone();
    format!("{}: {check}", check["status"].as_str().unwrap())
}
