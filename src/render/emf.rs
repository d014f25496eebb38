//! Where a worker's metrics go (`worker --metrics`): each record's log line, a CloudWatch
//! Embedded Metric Format document (`cartctl_aws::record_log`), written to stderr (a container's
//! log driver takes it to CloudWatch Logs) or sent to the CloudWatch agent's EMF listener
//! (`udp://127.0.0.1:25888`, `tcp://…`), one JSON line each. A metric never fails a record: a
//! destination that stops answering is warned about once, and the worker goes on.

use std::io::Write;
use std::net::{TcpStream, ToSocketAddrs, UdpSocket};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use serde_json::Value;

use cartctl_aws::{Error, Result};

/// How long a TCP connection to the agent may take to open.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(2);

/// Where the metric lines go.
#[derive(Debug)]
pub enum MetricsSink {
    /// Nowhere (the default).
    Off,
    /// One line each on stderr.
    Stderr,
    /// One datagram each to the agent.
    Udp(UdpSocket),
    /// One line each on a connection to the agent, opened again when it breaks.
    Tcp {
        /// The agent's address, as given.
        address: String,
        /// The open connection, if any.
        stream: Mutex<Option<TcpStream>>,
        /// Whether a failure was warned about already.
        warned: AtomicBool,
    },
}

impl MetricsSink {
    /// `off`, `stderr`, `udp://HOST:PORT` or `tcp://HOST:PORT`; a bad value names `--metrics`
    /// (exit 2, nothing sent).
    pub fn parse(value: &str) -> Result<MetricsSink> {
        let bad = |problem: String| {
            Error::invalid(
                "--metrics",
                problem,
                "give off, stderr, udp://HOST:PORT or tcp://HOST:PORT (the CloudWatch agent listens on 25888)",
            )
        };
        match value {
            "off" => return Ok(MetricsSink::Off),
            "stderr" => return Ok(MetricsSink::Stderr),
            _ => {}
        }
        let Some((scheme, address)) = value.split_once("://") else {
            return Err(bad(format!("`{value}` is not a destination")));
        };
        if address.to_socket_addrs().is_err() {
            return Err(bad(format!("`{address}` is not a HOST:PORT")));
        }
        match scheme {
            "udp" => {
                let socket = UdpSocket::bind(("0.0.0.0", 0))
                    .and_then(|s| s.connect(address).map(|_| s))
                    .map_err(|e| bad(format!("cannot send to {address}: {e}")))?;
                Ok(MetricsSink::Udp(socket))
            }
            "tcp" => Ok(MetricsSink::Tcp {
                address: address.to_owned(),
                stream: Mutex::new(None),
                warned: AtomicBool::new(false),
            }),
            other => Err(bad(format!("`{other}://` is not udp:// or tcp://"))),
        }
    }

    /// Whether lines go anywhere.
    pub fn is_on(&self) -> bool {
        !matches!(self, MetricsSink::Off)
    }

    /// Writes one line; a failure is warned about (once for a connection) and dropped.
    pub fn send(&self, line: &Value) {
        let mut text = line.to_string();
        text.push('\n');
        let sent = match self {
            MetricsSink::Off => Ok(()),
            MetricsSink::Stderr => std::io::stderr().lock().write_all(text.as_bytes()),
            MetricsSink::Udp(socket) => socket.send(text.as_bytes()).map(|_| ()),
            MetricsSink::Tcp {
                address,
                stream,
                warned,
            } => {
                let mut open = stream.lock().unwrap_or_else(|e| e.into_inner());
                let result = write_tcp(&mut open, address, text.as_bytes());
                if result.is_ok() {
                    warned.store(false, Ordering::Relaxed);
                    return;
                }
                if warned.swap(true, Ordering::Relaxed) {
                    return;
                }
                result
            }
        };
        if let Err(e) = sent {
            tracing::warn!(error = %e, "a metric line could not be sent; the worker goes on");
        }
    }
}

/// Writes on the open connection, or on a new one when there is none or it broke.
fn write_tcp(open: &mut Option<TcpStream>, address: &str, bytes: &[u8]) -> std::io::Result<()> {
    if let Some(s) = open.as_mut()
        && s.write_all(bytes).is_ok()
    {
        return Ok(());
    }
    *open = None;
    let addr = address
        .to_socket_addrs()?
        .next()
        .ok_or_else(|| std::io::Error::other(format!("{address} has no address")))?;
    let mut s = TcpStream::connect_timeout(&addr, CONNECT_TIMEOUT)?;
    s.write_all(bytes)?;
    *open = Some(s);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn destinations_parse_and_bad_ones_name_the_flag() {
        assert!(matches!(MetricsSink::parse("off"), Ok(MetricsSink::Off)));
        assert!(matches!(
            MetricsSink::parse("stderr"),
            Ok(MetricsSink::Stderr)
        ));
        assert!(matches!(
            MetricsSink::parse("tcp://127.0.0.1:25888"),
            Ok(MetricsSink::Tcp { .. })
        ));
        for bad in [
            "syslog",
            "http://127.0.0.1:25888",
            "udp://nowhere",
            "tcp://:x",
        ] {
            let e = MetricsSink::parse(bad).expect_err(bad).to_string();
            assert!(e.contains("--metrics"), "{bad}: {e}");
        }
    }

    #[test]
    fn a_udp_sink_sends_one_json_line_a_datagram() {
        let agent = UdpSocket::bind("127.0.0.1:0").unwrap();
        let sink = MetricsSink::parse(&format!("udp://{}", agent.local_addr().unwrap())).unwrap();
        sink.send(&serde_json::json!({"records": 1}));
        let mut buf = [0u8; 256];
        let n = agent.recv(&mut buf).unwrap();
        assert_eq!(&buf[..n], b"{\"records\":1}\n");
    }

    #[test]
    fn a_tcp_sink_opens_its_connection_again_after_the_agent_restarts() {
        use std::io::{BufRead, BufReader};
        use std::net::TcpListener;
        let agent = TcpListener::bind("127.0.0.1:0").unwrap();
        let sink = MetricsSink::parse(&format!("tcp://{}", agent.local_addr().unwrap())).unwrap();
        sink.send(&serde_json::json!({"n": 1}));
        let (first, _) = agent.accept().unwrap();
        let mut line = String::new();
        BufReader::new(&first).read_line(&mut line).unwrap();
        assert_eq!(line, "{\"n\":1}\n");
        drop(first);
        // The first write after the agent closed may still be taken by the kernel; the
        // connection is found broken and opened again within a few sends.
        let mut got = String::new();
        for n in 2..6 {
            sink.send(&serde_json::json!({ "n": n }));
            agent.set_nonblocking(true).unwrap();
            if let Ok((again, _)) = agent.accept() {
                again.set_nonblocking(false).unwrap();
                BufReader::new(&again).read_line(&mut got).unwrap();
                break;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        assert!(got.starts_with("{\"n\":"), "{got:?}");
    }
}
