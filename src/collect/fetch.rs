//! Fetching pages and feeds: one HTTP client (ureq, with rustls) with timeouts, redirects, a
//! size cap, kwiki's User-Agent, a delay between requests to one host, and retries with
//! backoff on 429 and 5xx.
use super::CollectError;
use std::collections::HashMap;
use std::time::{Duration, Instant};
use ureq::ResponseExt;

/// How pages are fetched.
#[derive(Debug, Clone)]
pub struct FetchOptions {
    /// The whole request, redirects and body included.
    pub timeout: Duration,
    /// The least time between two requests to one host.
    pub delay: Duration,
    /// Tries after the first, on 429 and 5xx.
    pub retries: u32,
    /// The first wait before a retry; it doubles each time (a `Retry-After` of up to a
    /// minute is heeded instead).
    pub backoff: Duration,
    /// Larger bodies are refused.
    pub max_bytes: u64,
}

impl Default for FetchOptions {
    fn default() -> Self {
        FetchOptions {
            timeout: Duration::from_secs(30),
            delay: Duration::from_secs(1),
            retries: 2,
            backoff: Duration::from_secs(2),
            max_bytes: 10_000_000,
        }
    }
}

/// A response body, where it came from after redirects, and its content type.
#[derive(Debug, Clone)]
pub struct Fetched {
    pub url: String,
    pub content_type: Option<String>,
    pub bytes: Vec<u8>,
}

/// An HTTP client that remembers when it last asked each host.
pub struct Fetcher {
    agent: ureq::Agent,
    opts: FetchOptions,
    last: HashMap<String, Instant>,
}

/// `kwiki/VERSION (+homepage)`: who is asking, so a site can tell and write to us.
pub const USER_AGENT: &str = concat!(
    "kwiki/",
    env!("CARGO_PKG_VERSION"),
    " (static wiki generator)"
);

impl Fetcher {
    pub fn new(opts: FetchOptions) -> Fetcher {
        let agent = ureq::Agent::config_builder()
            .timeout_global(Some(opts.timeout))
            .max_redirects(10)
            .user_agent(USER_AGENT)
            .http_status_as_error(false)
            .build()
            .into();
        Fetcher {
            agent,
            opts,
            last: HashMap::new(),
        }
    }

    /// GET `url`, waiting out the host's delay, retrying on 429 and 5xx.
    pub fn get(&mut self, url: &str) -> Result<Fetched, CollectError> {
        let parsed = url::Url::parse(url).map_err(|_| CollectError::NotWeb(url.into()))?;
        if !matches!(parsed.scheme(), "http" | "https") {
            return Err(CollectError::NotWeb(url.into()));
        }
        let host = parsed.host_str().unwrap_or_default().to_string();
        let mut attempt = 0;
        loop {
            self.wait_for(&host);
            match self.once(url) {
                Err(CollectError::Status {
                    status,
                    retry_after,
                    ..
                }) if (status == 429 || status >= 500) && attempt < self.opts.retries => {
                    let backoff = self.opts.backoff * 2u32.pow(attempt);
                    let wait = retry_after
                        .filter(|s| *s <= 60)
                        .map_or(backoff, Duration::from_secs);
                    std::thread::sleep(wait);
                    attempt += 1;
                }
                r => return r,
            }
        }
    }

    fn wait_for(&mut self, host: &str) {
        if let Some(last) = self.last.get(host) {
            let since = last.elapsed();
            if since < self.opts.delay {
                std::thread::sleep(self.opts.delay - since);
            }
        }
        self.last.insert(host.to_string(), Instant::now());
    }

    fn once(&self, url: &str) -> Result<Fetched, CollectError> {
        let net = |e: ureq::Error| match e {
            ureq::Error::Timeout(_) => CollectError::Timeout {
                url: url.into(),
                seconds: self.opts.timeout.as_secs_f64(),
            },
            ureq::Error::BodyExceedsLimit(limit) => CollectError::TooLarge {
                url: url.into(),
                limit,
            },
            e => CollectError::Network {
                url: url.into(),
                message: e.to_string(),
            },
        };
        let mut resp = self.agent.get(url).call().map_err(net)?;
        let status = resp.status().as_u16();
        if !(200..300).contains(&status) {
            let retry_after = resp
                .headers()
                .get("retry-after")
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.trim().parse().ok());
            return Err(CollectError::Status {
                url: url.into(),
                status,
                reason: resp.status().canonical_reason().unwrap_or("").into(),
                retry_after,
            });
        }
        let final_url = resp.get_uri().to_string();
        let content_type = resp
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        let bytes = resp
            .body_mut()
            .with_config()
            .limit(self.opts.max_bytes)
            .read_to_vec()
            .map_err(net)?;
        Ok(Fetched {
            url: final_url,
            content_type,
            bytes,
        })
    }
}
