//! The dev server's HTTP side: hyper's HTTP/1 server on a small tokio runtime (two worker
//! threads), so that a connection or a live-reload long-poll costs a task and its buffers,
//! not a thread. Bounded everywhere: connections, live-reload waiters, request heads (URL
//! and headers), the time to send a head, the time a connection may stall. Only GET and
//! HEAD are answered, and only to a Host that names this machine (a page on another site
//! cannot read the dev site through DNS rebinding). A request that fails, or a handler that
//! panics, costs that request alone: the listener goes on.
use super::{Lookup, RELOAD_PATH, Shared, content_type, inject, lookup, percent_decode};
use bytes::Bytes;
use http_body_util::Full;
use hyper::header::{self, HeaderValue};
use hyper::{Method, Request, Response, StatusCode};
use std::convert::Infallible;
use std::net::IpAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::sync::Semaphore;

/// Connections served at once; more wait in the listen queue until one ends.
pub const MAX_CONNECTIONS: usize = 2048;
/// Live-reload long-polls waiting at once; more are told to come back later (503).
pub const MAX_WAITERS: usize = 1536;
/// How long a long-poll waits before answering "nothing new".
const POLL_WAIT: Duration = Duration::from_secs(25);
/// The time a client has to send a request head, and that a kept-alive connection may sit
/// idle before its next request.
const HEAD_TIMEOUT: Duration = Duration::from_secs(10);
/// A connection on which no byte moves for this long (a client that stops reading its
/// response) is closed; longer than a long-poll's wait.
const STALL_TIMEOUT: Duration = Duration::from_secs(40);
/// The longest request target (414 beyond) and request head (431 beyond).
pub const MAX_URL: usize = 8 * 1024;
pub const MAX_HEAD: usize = 32 * 1024;

/// Which Host headers the server answers: loopback names and addresses, and what `--bind`
/// names (an address bound to all interfaces lets any address literal in; a name, itself).
#[derive(Debug, Clone)]
pub struct HostCheck {
    bound: Option<IpAddr>,
    name: Option<String>,
}

impl HostCheck {
    pub fn new(bind: &str) -> HostCheck {
        let bind = bind.trim_start_matches('[').trim_end_matches(']');
        match bind.parse::<IpAddr>() {
            Ok(ip) => HostCheck {
                bound: Some(ip),
                name: None,
            },
            Err(_) => HostCheck {
                bound: None,
                name: Some(bind.trim_end_matches('.').to_ascii_lowercase()),
            },
        }
    }

    /// Whether a request with this Host header is answered. A request without one (HTTP/1.0)
    /// is: a browser always sends it, so no rebinding attack can leave it out.
    pub fn allows(&self, host: Option<&str>) -> bool {
        let Some(host) = host else { return true };
        let host = host.trim();
        // the name without its port (`[::1]:8000`, `localhost:8000`)
        let name = match host.strip_prefix('[') {
            Some(v6) => v6.split(']').next().unwrap_or_default(),
            None => host.rsplit_once(':').map_or(host, |(n, _)| n),
        };
        let name = name.trim_end_matches('.').to_ascii_lowercase();
        if name == "localhost" || name.ends_with(".localhost") {
            return true;
        }
        if let Ok(ip) = name.parse::<IpAddr>() {
            // an address literal cannot be rebound to another host by DNS
            return ip.is_loopback()
                || self.bound == Some(ip)
                || self.bound.is_some_and(|b| b.is_unspecified());
        }
        self.name.as_deref() == Some(name.as_str())
    }
}

/// Serve `listener` on a runtime of its own, on a thread of its own, until the process ends.
pub(super) fn spawn(
    listener: std::net::TcpListener,
    shared: Arc<Shared>,
    hosts: HostCheck,
) -> std::io::Result<()> {
    listener.set_nonblocking(true)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .max_blocking_threads(1)
        .thread_name("kwiki-http")
        .on_thread_park(storm::collect_if_over)
        .enable_io()
        .enable_time()
        .build()?;
    std::thread::Builder::new()
        .name("kwiki-http-accept".into())
        .spawn(move || runtime.block_on(accept_loop(listener, shared, hosts)))?;
    Ok(())
}

async fn accept_loop(listener: std::net::TcpListener, shared: Arc<Shared>, hosts: HostCheck) {
    let listener = match tokio::net::TcpListener::from_std(listener) {
        Ok(l) => l,
        Err(e) => {
            eprintln!("error: the server cannot listen: {e}");
            return;
        }
    };
    let connections = Arc::new(Semaphore::new(MAX_CONNECTIONS));
    let waiters = Arc::new(Semaphore::new(MAX_WAITERS));
    let hosts = Arc::new(hosts);
    let mut last_complaint = None::<std::time::Instant>;
    loop {
        let Ok(permit) = connections.clone().acquire_owned().await else {
            return;
        };
        let stream = match listener.accept().await {
            Ok((stream, _)) => stream,
            Err(e) => {
                // out of file descriptors or memory, a connection reset before it was taken:
                // say so now and then, wait a little, and go on listening
                if last_complaint.is_none_or(|t| t.elapsed() > Duration::from_secs(5)) {
                    eprintln!("warning: the server could not take a connection: {e}");
                    last_complaint = Some(std::time::Instant::now());
                }
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
        };
        let _ = stream.set_nodelay(true);
        let (shared, waiters, hosts) = (shared.clone(), waiters.clone(), hosts.clone());
        storm::opened();
        tokio::spawn(async move {
            let service = hyper::service::service_fn(move |req| {
                let (shared, waiters, hosts) = (shared.clone(), waiters.clone(), hosts.clone());
                async move { Ok::<_, Infallible>(respond(&shared, &waiters, &hosts, req).await) }
            });
            let io = hyper_util::rt::TokioIo::new(Stalling::new(stream, STALL_TIMEOUT));
            let _ = hyper::server::conn::http1::Builder::new()
                .timer(hyper_util::rt::TokioTimer::new())
                .header_read_timeout(HEAD_TIMEOUT)
                .max_buf_size(MAX_HEAD)
                .max_header_size(MAX_HEAD)
                .serve_connection(io, service)
                .await;
            drop(permit);
            storm::closed();
        });
    }
}

/// Memory after a flood of connections: their buffers were allocated on the worker threads,
/// and the allocator keeps what is freed (see `keep_freed_memory` in main.rs). When a flood
/// ends (hundreds of connections down to a few), each worker hands its free memory back to
/// the system as it goes idle, once.
mod storm {
    use std::cell::Cell;
    use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

    unsafe extern "C" {
        /// mimalloc's collection; `force` purges what is free now, whatever the delay.
        fn mi_collect(force: bool);
    }

    /// A flood is this many connections at once, and it ends below `CALM`.
    const FLOOD: usize = 256;
    const CALM: usize = 16;
    static LIVE: AtomicUsize = AtomicUsize::new(0);
    static PEAK: AtomicUsize = AtomicUsize::new(0);
    /// Moves on at the end of each flood.
    static ENDED: AtomicU64 = AtomicU64::new(0);

    thread_local! {
        static COLLECTED: Cell<u64> = const { Cell::new(0) };
    }

    pub fn opened() {
        let n = LIVE.fetch_add(1, Ordering::Relaxed) + 1;
        PEAK.fetch_max(n, Ordering::Relaxed);
    }

    pub fn closed() {
        let n = LIVE.fetch_sub(1, Ordering::Relaxed) - 1;
        if n < CALM && PEAK.load(Ordering::Relaxed) >= FLOOD {
            PEAK.store(n, Ordering::Relaxed);
            ENDED.fetch_add(1, Ordering::Relaxed);
        }
    }

    /// On a worker going idle: collect once per ended flood.
    pub fn collect_if_over() {
        let ended = ENDED.load(Ordering::Relaxed);
        if COLLECTED.get() != ended {
            COLLECTED.set(ended);
            // SAFETY: a plain call into the allocator linked into every kwiki build
            unsafe { mi_collect(true) };
        }
    }
}

type Reply = Response<Full<Bytes>>;

async fn respond<B>(
    shared: &Shared,
    waiters: &Arc<Semaphore>,
    hosts: &HostCheck,
    req: Request<B>,
) -> Reply {
    if req.method() != Method::GET && req.method() != Method::HEAD {
        let mut r = plain(
            StatusCode::METHOD_NOT_ALLOWED,
            "only GET and HEAD are served\n",
        );
        r.headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
        return r;
    }
    if req.uri().path_and_query().map_or(0, |p| p.as_str().len()) > MAX_URL {
        return plain(StatusCode::URI_TOO_LONG, "the URL is too long\n");
    }
    let host = req.headers().get(header::HOST).map(|h| h.to_str().ok());
    if !hosts.allows(host.map(|h| h.unwrap_or("\u{fffd}"))) {
        return plain(
            StatusCode::FORBIDDEN,
            "kwiki serve answers only requests for localhost (or the --bind address): this Host is not allowed\n",
        );
    }
    let path = req.uri().path();
    if path == RELOAD_PATH {
        let since = req
            .uri()
            .query()
            .unwrap_or_default()
            .split('&')
            .find_map(|kv| kv.strip_prefix("since="))
            .and_then(|v| v.parse::<u64>().ok());
        return reload(shared, waiters, since.unwrap_or(0)).await;
    }
    // serve prints its address before the first build: a page asked for meanwhile waits
    first_build(shared).await;
    // building the page is plain code over the snapshot: a panic there costs this request
    let page = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| page(shared, path)));
    page.unwrap_or_else(|_| {
        plain(
            StatusCode::INTERNAL_SERVER_ERROR,
            "kwiki serve failed to answer this request\n",
        )
    })
}

/// The live-reload long-poll: the build generation once it moves past `since`, or after
/// `POLL_WAIT`. Waiting costs no thread; past `MAX_WAITERS` the client is told to retry.
async fn reload(shared: &Shared, waiters: &Arc<Semaphore>, since: u64) -> Reply {
    let Ok(_waiting) = waiters.clone().try_acquire_owned() else {
        let mut r = plain(
            StatusCode::SERVICE_UNAVAILABLE,
            "too many live-reload waiters\n",
        );
        r.headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from_static("2"));
        return r;
    };
    let mut rx = shared.generation.subscribe();
    let _ = tokio::time::timeout(POLL_WAIT, rx.wait_for(|g| *g != since)).await;
    let generation = *rx.borrow();
    let mut r = plain(StatusCode::OK, &generation.to_string());
    r.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}

/// Wait (up to `POLL_WAIT`) until the first build has published its pages or its error.
/// It costs a task, not a thread, and such waits are bounded by `MAX_CONNECTIONS`.
async fn first_build(shared: &Shared) {
    let mut rx = shared.generation.subscribe();
    let _ = tokio::time::timeout(POLL_WAIT, rx.wait_for(|g| *g != 0)).await;
}

/// A page of the last good build, with the live-reload script in HTML.
fn page(shared: &Shared, path: &str) -> Reply {
    let (snapshot, error, generation) = {
        let s = shared.lock();
        (s.snapshot.clone(), s.error.clone(), s.generation)
    };
    let Some(snap) = snapshot else {
        // no good build yet: a page with the error, or saying the first build still runs
        // (after `POLL_WAIT`), that reloads when there is one
        let (status, page): (_, &[u8]) = match error {
            Some(_) => (
                StatusCode::INTERNAL_SERVER_ERROR,
                b"<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>kwiki: build failed</title></head><body></body></html>",
            ),
            None => (
                StatusCode::SERVICE_UNAVAILABLE,
                b"<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>kwiki: building</title></head><body><p>kwiki is building the site; this page reloads when it is ready.</p></body></html>",
            ),
        };
        return html(status, inject(page, generation, error.as_deref()));
    };
    match lookup(&snap, &percent_decode(path)) {
        Lookup::Found(file, bytes) => {
            let ctype = content_type(&file);
            let body = if ctype.starts_with("text/html") {
                Bytes::from(inject(bytes, generation, error.as_deref()))
            } else {
                Bytes::copy_from_slice(bytes)
            };
            let mut r = Response::new(Full::new(body));
            let h = r.headers_mut();
            h.insert(header::CONTENT_TYPE, HeaderValue::from_static(ctype));
            h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            r
        }
        Lookup::Redirect(to) => {
            let mut r = Response::new(Full::new(Bytes::new()));
            *r.status_mut() = StatusCode::MOVED_PERMANENTLY;
            // percent-encoded by `lookup`, so always a valid header value
            if let Ok(v) = HeaderValue::from_str(&to) {
                r.headers_mut().insert(header::LOCATION, v);
            }
            r
        }
        Lookup::NotFound => html(
            StatusCode::NOT_FOUND,
            inject(&snap.not_found, generation, error.as_deref()),
        ),
    }
}

fn html(status: StatusCode, body: Vec<u8>) -> Reply {
    let mut r = Response::new(Full::new(Bytes::from(body)));
    *r.status_mut() = status;
    let h = r.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}

fn plain(status: StatusCode, text: &str) -> Reply {
    let mut r = Response::new(Full::new(Bytes::copy_from_slice(text.as_bytes())));
    *r.status_mut() = status;
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    r
}

/// A connection that fails once no byte has moved either way for `limit` while the server
/// waits on it (a client that stops reading a response, or trickles a body): hyper bounds
/// the time to read a head, this bounds everything else.
struct Stalling<S> {
    inner: S,
    limit: Duration,
    deadline: Pin<Box<tokio::time::Sleep>>,
}

impl<S> Stalling<S> {
    fn new(inner: S, limit: Duration) -> Self {
        Stalling {
            inner,
            limit,
            deadline: Box::pin(tokio::time::sleep(limit)),
        }
    }

    fn moved(&mut self) {
        let at = tokio::time::Instant::now() + self.limit;
        self.deadline.as_mut().reset(at);
    }

    fn waiting<T>(&mut self, cx: &mut Context<'_>) -> Poll<std::io::Result<T>> {
        match self.deadline.as_mut().poll(cx) {
            Poll::Ready(()) => Poll::Ready(Err(std::io::ErrorKind::TimedOut.into())),
            Poll::Pending => Poll::Pending,
        }
    }
}

impl<S: AsyncRead + Unpin> AsyncRead for Stalling<S> {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        let this = self.get_mut();
        match Pin::new(&mut this.inner).poll_read(cx, buf) {
            Poll::Ready(r) => {
                this.moved();
                Poll::Ready(r)
            }
            Poll::Pending => this.waiting(cx),
        }
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for Stalling<S> {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        let this = self.get_mut();
        match Pin::new(&mut this.inner).poll_write(cx, buf) {
            Poll::Ready(r) => {
                this.moved();
                Poll::Ready(r)
            }
            Poll::Pending => this.waiting(cx),
        }
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[std::io::IoSlice<'_>],
    ) -> Poll<std::io::Result<usize>> {
        let this = self.get_mut();
        match Pin::new(&mut this.inner).poll_write_vectored(cx, bufs) {
            Poll::Ready(r) => {
                this.moved();
                Poll::Ready(r)
            }
            Poll::Pending => this.waiting(cx),
        }
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        let this = self.get_mut();
        match Pin::new(&mut this.inner).poll_flush(cx) {
            Poll::Ready(r) => Poll::Ready(r),
            Poll::Pending => this.waiting(cx),
        }
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::super::State;
    use super::*;
    use http_body_util::BodyExt;

    fn runtime() -> tokio::runtime::Runtime {
        tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .build()
            .unwrap()
    }

    fn starting() -> Arc<Shared> {
        Arc::new(Shared {
            state: std::sync::Mutex::new(State::default()),
            generation: tokio::sync::watch::Sender::new(0),
        })
    }

    fn body(r: Reply) -> String {
        let bytes = runtime().block_on(r.into_body().collect()).unwrap();
        String::from_utf8(bytes.to_bytes().to_vec()).unwrap()
    }

    #[test]
    fn before_a_good_build_a_page_says_building_or_shows_the_error() {
        let shared = starting();
        let r = page(&shared, "/");
        assert_eq!(r.status(), StatusCode::SERVICE_UNAVAILABLE);
        let text = body(r);
        assert!(text.contains("kwiki is building the site"), "{text}");
        assert!(text.contains(RELOAD_PATH) && !text.contains("kwiki-error"));
        shared.lock().error = Some("bad <template>".into());
        let r = page(&shared, "/");
        assert_eq!(r.status(), StatusCode::INTERNAL_SERVER_ERROR);
        let text = body(r);
        assert!(text.contains("kwiki-error") && text.contains("bad &lt;template&gt;"));
    }

    #[test]
    fn a_request_during_the_first_build_waits_for_it() {
        let shared = starting();
        let publisher = {
            let shared = shared.clone();
            std::thread::spawn(move || {
                std::thread::sleep(Duration::from_millis(200));
                let mut state = shared.lock();
                state.error = Some("first build failed".into());
                state.generation = 1;
                shared.generation.send_replace(1);
            })
        };
        runtime().block_on(first_build(&shared));
        // it returned because the build published, not at once
        assert_eq!(*shared.generation.borrow(), 1);
        assert_eq!(
            page(&shared, "/").status(),
            StatusCode::INTERNAL_SERVER_ERROR
        );
        publisher.join().unwrap();
    }

    #[test]
    fn hosts() {
        let local = HostCheck::new("127.0.0.1");
        for ok in [
            None,
            Some("localhost"),
            Some("localhost:8000"),
            Some("LOCALHOST."),
            Some("app.localhost:3000"),
            Some("127.0.0.1:8000"),
            Some("127.1.2.3"),
            Some("[::1]:8000"),
        ] {
            assert!(local.allows(ok), "{ok:?}");
        }
        for bad in [
            Some("evil.example"),
            Some("evil.example:8000"),
            Some("localhost.evil.example"),
            Some("192.168.1.5:8000"),
            Some(""),
            Some("\u{fffd}"),
        ] {
            assert!(!local.allows(bad), "{bad:?}");
        }
        let lan = HostCheck::new("192.168.1.5");
        assert!(lan.allows(Some("192.168.1.5:8000")) && !lan.allows(Some("10.0.0.1")));
        let all = HostCheck::new("0.0.0.0");
        assert!(all.allows(Some("10.0.0.7:8000")) && !all.allows(Some("evil.example")));
        let named = HostCheck::new("devbox.lan");
        assert!(named.allows(Some("devbox.lan:8000")) && !named.allows(Some("evil.example")));
    }
}
