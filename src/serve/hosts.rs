//! Which `Host` the preview answers. A web page the editor visits can point a name it
//! controls at 127.0.0.1 (DNS rebinding) and then read the preview (drafts, and error
//! overlays with source lines) as a same-origin page; the browser still sends that name
//! as `Host`. So a preview bound to loopback answers only requests for `localhost`,
//! `127.0.0.1`, `[::1]` or the address it is bound to (any port: a proxy on this machine
//! may forward from another), as Vite's `server.allowedHosts` does; everything else,
//! the event stream included, gets 403 with an explanation. A request that names no
//! host (HTTP/1.0 without `Host`) is refused too: no browser sends one, so refusing
//! costs nothing and leaves no way around the check.
//!
//! Bound to any other address (`--bind 0.0.0.0`, a LAN address), the user chose to
//! expose the preview, and any host is answered.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// The hosts a preview answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Hosts {
    /// Any host: the preview is bound to a non-loopback address on purpose.
    Any,
    /// `localhost`, the loopback addresses and `bound`.
    Local {
        /// The address the server listens on.
        bound: IpAddr,
    },
}

impl Hosts {
    /// The policy for a server bound to `bound`.
    pub(crate) fn for_bind(bound: IpAddr) -> Hosts {
        if bound.is_loopback() {
            Hosts::Local { bound }
        } else {
            Hosts::Any
        }
    }

    /// True when a request whose authority (`Host`, or the absolute request target's) is
    /// `authority` is answered; `None` is a request without one.
    pub(crate) fn allows(self, authority: Option<&str>) -> bool {
        let bound = match self {
            Hosts::Any => return true,
            Hosts::Local { bound } => bound,
        };
        let Some(name) = authority.and_then(host_name) else {
            return false;
        };
        let ip = match name.strip_prefix('[').and_then(|n| n.strip_suffix(']')) {
            Some(v6) => v6.parse::<Ipv6Addr>().ok().map(IpAddr::V6),
            None => name.parse::<Ipv4Addr>().ok().map(IpAddr::V4),
        };
        match ip {
            Some(ip) => {
                ip == IpAddr::V4(Ipv4Addr::LOCALHOST)
                    || ip == IpAddr::V6(Ipv6Addr::LOCALHOST)
                    || ip == bound
            }
            None => name.eq_ignore_ascii_case("localhost"),
        }
    }
}

/// The host part of an authority (`name`, `name:port`, `[v6]:port`); `None` when the
/// port is not digits or the brackets do not close.
fn host_name(authority: &str) -> Option<&str> {
    let (name, port) = if authority.starts_with('[') {
        let end = authority.find(']')? + 1;
        let (name, rest) = authority.split_at(end);
        match rest {
            "" => (name, ""),
            _ => (name, rest.strip_prefix(':')?),
        }
    } else {
        match authority.split_once(':') {
            Some((name, port)) => (name, port),
            None => (authority, ""),
        }
    };
    port.bytes().all(|b| b.is_ascii_digit()).then_some(name)
}

/// The authority a request names: its absolute target's (which wins over `Host`, RFC 9112
/// section 3.2.2), else its one `Host` header; `None` for none, several, or one that is
/// not text.
fn authority(request: &Request) -> Option<String> {
    if let Some(authority) = request.uri().authority() {
        return Some(authority.as_str().to_owned());
    }
    let mut hosts = request.headers().get_all(header::HOST).iter();
    match (hosts.next(), hosts.next()) {
        (Some(host), None) => host.to_str().ok().map(str::to_owned),
        _ => None,
    }
}

/// The middleware: passes a request for an allowed host on, answers any other with 403.
pub(crate) async fn check(State(hosts): State<Hosts>, request: Request, next: Next) -> Response {
    let authority = authority(&request);
    if hosts.allows(authority.as_deref()) {
        return next.run(request).await;
    }
    tracing::debug!(
        "{} {}: refused the host {authority:?}",
        request.method(),
        request.uri()
    );
    refused(authority.as_deref())
}

/// 403 and why, naming the host (printable ASCII only, shortened).
fn refused(authority: Option<&str>) -> Response {
    let named = match authority {
        Some(a) => {
            let clean: String = a
                .chars()
                .map(|c| if c.is_ascii_graphic() { c } else { '?' })
                .take(100)
                .collect();
            format!("this request was for `{clean}`")
        }
        None => "this request named no host (a `Host` header)".to_owned(),
    };
    let text = format!(
        "403 Forbidden: this gloss preview answers only requests for localhost, 127.0.0.1, \
         [::1] or the address it listens on; {named}.\n\
         Other host names are refused so that a web page cannot read the preview through \
         DNS rebinding.\n\
         To reach the preview under another name or from another machine, bind an address \
         on purpose: `gloss serve --bind 0.0.0.0` (every interface) or `--bind` one of this \
         machine's addresses; it then answers any host.\n"
    );
    let mut response = (StatusCode::FORBIDDEN, text).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    fn local(bound: &str) -> Hosts {
        Hosts::for_bind(bound.parse().unwrap_or_else(|e| panic!("{e}")))
    }

    #[test]
    fn loopback_answers_local_names_with_or_without_a_port() {
        let hosts = local("127.0.0.1");
        for ok in [
            "localhost",
            "localhost:1111",
            "LocalHost:80",
            "127.0.0.1",
            "127.0.0.1:1111",
            "[::1]",
            "[::1]:1111",
            "[0:0:0:0:0:0:0:1]:1111",
            "localhost:",
        ] {
            assert!(hosts.allows(Some(ok)), "{ok}");
        }
        for bad in [
            "evil.example",
            "evil.example:1111",
            "localhost.evil.example",
            "127.0.0.1.evil.example",
            "evil.localhost",
            "localhost.",
            "127.0.0.2",
            "127.1",
            "0.0.0.0",
            "[::2]",
            "[::1",
            "::1",
            "localhost:11x",
            "localhost:1111@evil.example",
            "",
        ] {
            assert!(!hosts.allows(Some(bad)), "{bad}");
        }
        assert!(!hosts.allows(None));
    }

    #[test]
    fn the_bound_address_is_answered_too() {
        let v4 = local("127.0.0.2");
        assert!(v4.allows(Some("127.0.0.2:1111")) && v4.allows(Some("localhost")));
        assert!(!v4.allows(Some("127.0.0.3")));
        let v6 = local("::1");
        assert!(v6.allows(Some("[::1]:1111")) && v6.allows(Some("127.0.0.1")));
    }

    #[test]
    fn a_non_loopback_bind_answers_any_host() {
        for bound in ["0.0.0.0", "::", "192.168.1.20"] {
            assert_eq!(local(bound), Hosts::Any, "{bound}");
            assert!(local(bound).allows(Some("evil.example")));
            assert!(local(bound).allows(None));
        }
    }
}
