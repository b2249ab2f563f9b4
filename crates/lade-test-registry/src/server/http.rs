//! Just enough HTTP/1.1 for a registry under test. The server is hand-written rather than built
//! on hyper because the faults it must show (closing mid-body, a body longer than its
//! `Content-Length`, a reset with no response) are exactly what a correct HTTP library refuses to
//! produce.

use std::io;
use std::sync::Arc;
use std::time::Duration;

use tokio::io::{AsyncBufRead, AsyncBufReadExt, AsyncReadExt, AsyncWrite, AsyncWriteExt};

const MAX_HEAD_BYTES: usize = 64 * 1024;

#[derive(Debug)]
pub(crate) struct Request {
    pub method: String,
    pub target: String,
    /// Lowercased names.
    pub headers: Vec<(String, String)>,
}

impl Request {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }

    pub fn wants_close(&self) -> bool {
        self.header("connection").is_some_and(|v| v.eq_ignore_ascii_case("close"))
    }
}

fn invalid(message: &str) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, message.to_owned())
}

/// Reads one request head and discards its body. `None` at a clean end of the connection.
pub(crate) async fn read_request<R: AsyncBufRead + Unpin>(
    reader: &mut R,
) -> io::Result<Option<Request>> {
    let mut line = String::new();
    let mut head_bytes = 0;
    let mut request_line = None;
    let mut headers = Vec::new();
    loop {
        line.clear();
        let read = reader.read_line(&mut line).await?;
        if read == 0 {
            return if request_line.is_none() { Ok(None) } else { Err(invalid("eof in head")) };
        }
        head_bytes += read;
        if head_bytes > MAX_HEAD_BYTES {
            return Err(invalid("request head too large"));
        }
        let trimmed = line.trim_end_matches(['\r', '\n']);
        if request_line.is_none() {
            request_line = Some(trimmed.to_owned());
        } else if trimmed.is_empty() {
            break;
        } else if let Some((name, value)) = trimmed.split_once(':') {
            headers.push((name.trim().to_ascii_lowercase(), value.trim().to_owned()));
        }
    }
    let request_line = request_line.unwrap_or_default();
    let mut parts = request_line.split(' ');
    let (Some(method), Some(target)) = (parts.next(), parts.next()) else {
        return Err(invalid("malformed request line"));
    };
    let request = Request { method: method.to_owned(), target: target.to_owned(), headers };
    let body_len =
        request.header("content-length").and_then(|v| v.parse::<u64>().ok()).unwrap_or(0);
    tokio::io::copy(&mut reader.take(body_len), &mut tokio::io::sink()).await?;
    Ok(Some(request))
}

/// A response ready to be written.
#[derive(Debug)]
pub(crate) struct Reply {
    pub status: u16,
    pub headers: Vec<(&'static str, String)>,
    pub body: Arc<[u8]>,
    pub head_only: bool,
}

/// How the body of a reply reaches the wire.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Delivery {
    Normal,
    StallMidBody(Duration),
    Truncated,
    Overlong,
    Corrupt,
}

/// Whether the connection can serve another request after a reply.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Flow {
    KeepAlive,
    Close,
}

pub(crate) async fn write_reply<W: AsyncWrite + Unpin>(
    writer: &mut W,
    reply: &Reply,
    delivery: Delivery,
    close: bool,
) -> io::Result<Flow> {
    let body: &[u8] = if reply.head_only { &[] } else { &reply.body };
    let half = body.len() / 2;
    let declared_len = if delivery == Delivery::Overlong { half } else { reply.body.len() };
    let close = close || matches!(delivery, Delivery::Truncated | Delivery::Overlong);
    let mut head = format!("HTTP/1.1 {} {}\r\n", reply.status, reason(reply.status));
    for (name, value) in &reply.headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str(&format!("content-length: {declared_len}\r\n"));
    head.push_str(if close {
        "connection: close\r\n\r\n"
    } else {
        "connection: keep-alive\r\n\r\n"
    });
    writer.write_all(head.as_bytes()).await?;
    match delivery {
        Delivery::Normal | Delivery::Overlong => writer.write_all(body).await?,
        Delivery::Truncated => writer.write_all(&body[..half]).await?,
        Delivery::StallMidBody(duration) => {
            writer.write_all(&body[..half]).await?;
            writer.flush().await?;
            tokio::time::sleep(duration).await;
            writer.write_all(&body[half..]).await?;
        }
        Delivery::Corrupt => {
            let mut corrupted = body.to_vec();
            if let Some(byte) = corrupted.get_mut(half) {
                *byte ^= 0xff;
            }
            writer.write_all(&corrupted).await?;
        }
    }
    writer.flush().await?;
    if close {
        writer.shutdown().await?;
        return Ok(Flow::Close);
    }
    Ok(Flow::KeepAlive)
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        304 => "Not Modified",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "Status",
    }
}

/// Decodes `%XX` escapes (so `/@scope%2fname` and `/@scope/name` name the same thing).
pub(crate) fn percent_decode(path: &str) -> String {
    let bytes = path.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let escaped = (bytes[i] == b'%')
            .then(|| bytes.get(i + 1..i + 3))
            .flatten()
            .and_then(|hex| std::str::from_utf8(hex).ok())
            .and_then(|hex| u8::from_str_radix(hex, 16).ok());
        match escaped {
            Some(byte) => {
                out.push(byte);
                i += 3;
            }
            None => {
                out.push(bytes[i]);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn reads_pipelined_requests() {
        let wire =
            b"GET /a HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabcGET /b HTTP/1.1\r\n\r\n";
        let mut reader = tokio::io::BufReader::new(&wire[..]);
        let first = read_request(&mut reader).await.unwrap().unwrap();
        assert_eq!((first.method.as_str(), first.target.as_str()), ("GET", "/a"));
        assert_eq!(first.header("host"), Some("x"));
        assert_eq!(read_request(&mut reader).await.unwrap().unwrap().target, "/b");
        assert!(read_request(&mut reader).await.unwrap().is_none());
    }

    #[test]
    fn decodes_scoped_names() {
        assert_eq!(percent_decode("/@scope%2fname"), "/@scope/name");
        assert_eq!(percent_decode("/@scope%2Fname"), "/@scope/name");
        assert_eq!(percent_decode("/100%"), "/100%");
    }

    #[tokio::test]
    async fn overlong_declares_less_than_it_sends() {
        let reply = Reply {
            status: 200,
            headers: vec![],
            body: Arc::from(&b"0123456789"[..]),
            head_only: false,
        };
        let mut out = Vec::new();
        let flow = write_reply(&mut out, &reply, Delivery::Overlong, false).await.unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text.contains("content-length: 5\r\n"));
        assert!(text.ends_with("\r\n\r\n0123456789"));
        assert_eq!(flow, Flow::Close);
    }
}
