//! When every request fails, `mailbox sync` changes nothing and says so in one sentence. (How
//! sync and watch converge under injected trouble, deleting nothing they should not, is
//! src/mailbox/scenarios/faults.rs, in process.)

use crate::common::Env;
use kcp_sim::Faults;

#[test]
fn when_every_request_fails_nothing_changes_and_the_error_is_one_sentence() {
    let env = Env::sim_only("fault injection is kcp-sim's");
    env.edge_api();
    env.imw("imw1");
    env.sync_target("imw1", "guilder");
    let before = env.workspaces("root");
    env.sim().set_faults(Faults {
        error_rate: 1.0,
        ..Faults::default()
    });
    let out = env.plugin(&["mailbox", "sync"]).code(1);
    let line = out.one_error_line();
    assert!(
        line.contains("the server is in trouble") || line.contains("retry"),
        "{line}"
    );
    env.sim().set_faults(Faults::default());
    assert_eq!(env.workspaces("root"), before);
}
