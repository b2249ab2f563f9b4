use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use tokio::io::BufReader;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::oneshot;
use tokio::task::{JoinHandle, JoinSet};

use crate::catalog::{Catalog, Dist, tarball_path};
use crate::{FaultRule, RecordedRequest, RegistryFixture, RequiredAuth};

mod http;
mod respond;

/// A registry serving a fixture on `127.0.0.1:<random port>` until dropped.
pub struct TestRegistry {
    shared: Arc<Shared>,
    url: String,
    addr: SocketAddr,
    _runner: Runner,
}

pub(crate) struct Shared {
    catalog: Catalog,
    state: Mutex<State>,
}

#[derive(Default)]
struct State {
    faults: Vec<FaultRule>,
    requests: Vec<RecordedRequest>,
    required_auth: Option<RequiredAuth>,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, State> {
        // A panicking test thread must not hide the log from the assertions that follow.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

enum Runner {
    Task(JoinHandle<()>),
    Thread { stop: Option<oneshot::Sender<()>>, thread: Option<std::thread::JoinHandle<()>> },
}

impl Drop for Runner {
    fn drop(&mut self) {
        match self {
            Runner::Task(task) => task.abort(),
            Runner::Thread { stop, thread } => {
                if let Some(stop) = stop.take() {
                    let _ = stop.send(());
                }
                if let Some(thread) = thread.take() {
                    let _ = thread.join();
                }
            }
        }
    }
}

impl TestRegistry {
    /// Serves `fixture` from a task on the current tokio runtime.
    ///
    /// Panics when no loopback port can be bound: this is a test helper.
    pub async fn start(fixture: RegistryFixture) -> TestRegistry {
        let listener = bind_loopback();
        let listener =
            TcpListener::from_std(listener).unwrap_or_else(|e| panic!("adopt listener: {e}"));
        let (shared, url, addr) = Shared::for_listener(&fixture, &listener);
        let task = tokio::spawn(accept_loop(listener, shared.clone()));
        TestRegistry { shared, url, addr, _runner: Runner::Task(task) }
    }

    /// Serves `fixture` from a thread running its own runtime, for synchronous tests.
    pub fn start_blocking(fixture: RegistryFixture) -> TestRegistry {
        let listener = bind_loopback();
        let (ready_tx, ready_rx) = std::sync::mpsc::channel();
        let (stop_tx, stop_rx) = oneshot::channel::<()>();
        let thread = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap_or_else(|e| panic!("test registry runtime: {e}"));
            runtime.block_on(async move {
                let listener = TcpListener::from_std(listener)
                    .unwrap_or_else(|e| panic!("adopt listener: {e}"));
                let (shared, url, addr) = Shared::for_listener(&fixture, &listener);
                let _ = ready_tx.send((shared.clone(), url, addr));
                tokio::select! {
                    () = accept_loop(listener, shared) => {}
                    _ = stop_rx => {}
                }
            });
        });
        let (shared, url, addr) =
            ready_rx.recv().unwrap_or_else(|_| panic!("test registry thread failed to start"));
        let runner = Runner::Thread { stop: Some(stop_tx), thread: Some(thread) };
        TestRegistry { shared, url, addr, _runner: runner }
    }

    /// `http://127.0.0.1:<port>/`, ending with `/` as registry URLs do.
    pub fn url(&self) -> &str {
        &self.url
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The request path of a version's tarball, e.g. `/@s/foo/-/foo-1.0.0.tgz`.
    pub fn tarball_path(&self, name: &str, version: &str) -> String {
        tarball_path(name, version)
    }

    /// The `dist` a published spec advertises, `None` for versions not in the fixture.
    pub fn dist(&self, name: &str, version: &str) -> Option<Dist> {
        self.shared.catalog.dists.get(&(name.to_owned(), version.to_owned())).cloned()
    }

    /// Every request received so far, oldest first.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.shared.lock().requests.clone()
    }

    /// How many requests asked for `path` (the target without its query, as sent).
    pub fn request_count(&self, path: &str) -> usize {
        let state = self.shared.lock();
        state.requests.iter().filter(|r| r.path.split('?').next() == Some(path)).count()
    }

    pub fn clear_requests(&self) {
        self.shared.lock().requests.clear();
    }

    /// Replace all fault rules with this one.
    pub fn set_fault(&self, rule: FaultRule) {
        self.shared.lock().faults = vec![rule];
    }

    /// Add a rule after the existing ones; the first live matching rule fires.
    pub fn add_fault(&self, rule: FaultRule) {
        self.shared.lock().faults.push(rule);
    }

    pub fn clear_faults(&self) {
        self.shared.lock().faults.clear();
    }

    pub fn set_required_auth(&self, auth: Option<RequiredAuth>) {
        self.shared.lock().required_auth = auth;
    }
}

fn bind_loopback() -> std::net::TcpListener {
    let listener = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap_or_else(|e| panic!("bind a loopback port for the test registry: {e}"));
    listener.set_nonblocking(true).unwrap_or_else(|e| panic!("set_nonblocking: {e}"));
    listener
}

impl Shared {
    fn for_listener(
        fixture: &RegistryFixture,
        listener: &TcpListener,
    ) -> (Arc<Shared>, String, SocketAddr) {
        let addr = listener.local_addr().unwrap_or_else(|e| panic!("local_addr: {e}"));
        let url = format!("http://{addr}/");
        let state = State { required_auth: fixture.required_auth().cloned(), ..State::default() };
        let shared = Shared { catalog: fixture.build(&url), state: Mutex::new(state) };
        (Arc::new(shared), url, addr)
    }
}

/// Connections live in a `JoinSet` owned by this loop, so stopping the loop closes them all.
async fn accept_loop(listener: TcpListener, shared: Arc<Shared>) {
    let mut connections = JoinSet::new();
    loop {
        match listener.accept().await {
            Ok((stream, _)) => {
                connections.spawn(serve_connection(stream, shared.clone()));
            }
            Err(_) => tokio::time::sleep(std::time::Duration::from_millis(10)).await,
        }
        while connections.try_join_next().is_some() {}
    }
}

async fn serve_connection(stream: TcpStream, shared: Arc<Shared>) {
    let _ = stream.set_nodelay(true);
    let mut stream = BufReader::new(stream);
    while let Ok(Some(request)) = http::read_request(&mut stream).await {
        match respond::plan(&shared, &request) {
            respond::Plan::Reset => {
                reset(stream.get_ref());
                return;
            }
            respond::Plan::Answer { stall, reply, delivery } => {
                if let Some(duration) = stall {
                    tokio::time::sleep(duration).await;
                }
                let written =
                    http::write_reply(stream.get_mut(), &reply, delivery, request.wants_close())
                        .await;
                if !matches!(written, Ok(http::Flow::KeepAlive)) {
                    return;
                }
            }
        }
    }
}

/// Makes the close an RST rather than a FIN, as a crashed proxy would.
fn reset(stream: &TcpStream) {
    // SO_LINGER is deprecated in tokio because a non-zero linger blocks on drop; a zero linger
    // never blocks, it discards the send buffer and resets at once.
    #[allow(deprecated)]
    let _ = stream.set_linger(Some(std::time::Duration::ZERO));
}
