use std::sync::Arc;
use std::time::Duration;

use super::Shared;
use super::http::{Delivery, Reply, Request, percent_decode};
use crate::catalog::Resource;
use crate::fault::take_fault;
use crate::{Fault, RecordedRequest};

const ABBREVIATED_MEDIA_TYPE: &str = "application/vnd.npm.install-v1+json";

/// What the connection does with one request.
#[derive(Debug)]
pub(crate) enum Plan {
    /// Close without answering.
    Reset,
    Answer {
        stall: Option<Duration>,
        reply: Reply,
        delivery: Delivery,
    },
}

/// Records the request, then applies (in order) a matching fault, the auth requirement and the
/// routes: files by path, then packuments by name.
pub(crate) fn plan(shared: &Shared, request: &Request) -> Plan {
    let raw_path = request.target.split(['?', '#']).next().unwrap_or_default();
    let decoded_path = percent_decode(raw_path);
    let (fault, auth_ok) = {
        let mut state = shared.lock();
        state.requests.push(RecordedRequest::new(
            &request.method,
            &request.target,
            &request.headers,
        ));
        let fault = take_fault(&mut state.faults, raw_path, &decoded_path);
        let auth_ok = state
            .required_auth
            .as_ref()
            .is_none_or(|auth| auth.accepts(request.header("authorization")));
        (fault, auth_ok)
    };
    let mut delivery = Delivery::Normal;
    let mut stall = None;
    match fault {
        Some(Fault::Reset) => return Plan::Reset,
        Some(Fault::Status(status)) => return answer(error_reply(status, "injected fault")),
        Some(Fault::Stall(duration)) => stall = Some(duration),
        Some(Fault::StallMidBody(duration)) => delivery = Delivery::StallMidBody(duration),
        Some(Fault::TruncatedBody) => delivery = Delivery::Truncated,
        Some(Fault::OverlongBody) => delivery = Delivery::Overlong,
        Some(Fault::CorruptBody) => delivery = Delivery::Corrupt,
        None => {}
    }
    let reply = if !auth_ok {
        let mut reply = error_reply(401, "authentication required");
        reply.headers.push(("www-authenticate", "Bearer realm=\"lade-test-registry\"".into()));
        reply
    } else {
        route(shared, request, &decoded_path)
    };
    Plan::Answer { stall, reply, delivery }
}

fn answer(reply: Reply) -> Plan {
    Plan::Answer { stall: None, reply, delivery: Delivery::Normal }
}

fn route(shared: &Shared, request: &Request, decoded_path: &str) -> Reply {
    let head_only = match request.method.as_str() {
        "GET" => false,
        "HEAD" => true,
        _ => return error_reply(405, "method not allowed"),
    };
    let catalog = &shared.catalog;
    let resource = catalog.files.get(decoded_path).or_else(|| {
        let packument = catalog.packuments.get(decoded_path.trim_start_matches('/'))?;
        let abbreviated =
            request.header("accept").is_some_and(|accept| accept.contains(ABBREVIATED_MEDIA_TYPE));
        Some(if abbreviated { &packument.abbreviated } else { &packument.full })
    });
    let Some(resource) = resource else { return error_reply(404, "Not found") };
    let mut reply = resource_reply(resource);
    reply.head_only = head_only;
    if request.header("if-none-match") == Some(resource.etag.as_str()) {
        reply.status = 304;
        reply.body = Arc::from(&[][..]);
    }
    reply
}

fn resource_reply(resource: &Resource) -> Reply {
    Reply {
        status: 200,
        headers: vec![
            ("content-type", resource.content_type.to_owned()),
            ("etag", resource.etag.clone()),
        ],
        body: resource.body.clone(),
        head_only: false,
    }
}

fn error_reply(status: u16, message: &str) -> Reply {
    // These statuses never carry a body; sending one would desynchronise the connection.
    let bodiless = matches!(status, 204 | 304) || status < 200;
    let body = if bodiless {
        Vec::new()
    } else {
        serde_json::json!({ "error": message }).to_string().into_bytes()
    };
    Reply {
        status,
        headers: vec![("content-type", "application/json".to_owned())],
        body: body.into(),
        head_only: false,
    }
}
