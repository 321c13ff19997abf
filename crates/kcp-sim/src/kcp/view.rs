//! An export's view: what a consumer's workspace serves through it.

use super::*;

// ---------------------------------------------------------------------------------------
// The export's view

pub(crate) struct View {
    pub defs: Vec<Arc<ResourceDef>>,
    pub bindings: Arc<ResourceDef>,
    /// kcp v0.32 serves the view's APIBindings as v1alpha2 too.
    pub bindings_v2: Option<Arc<ResourceDef>>,
    pub label: String,
    /// What the export's permission claims serve, and the claim serving each.
    pub claimed: Vec<(Arc<ResourceDef>, Claim)>,
}

pub(crate) fn view(sim: &Sim, export_cluster: &str, export_name: &str) -> Option<View> {
    let state = sim.state();
    let export = state.get(APIEXPORTS, &key(export_cluster, export_name))?;
    let defs = export_defs(&state, export_cluster, export).ok()?;
    let claimed = claimed_defs(sim, &state, &defs, &export_claims(export));
    let bindings = sim
        .builtins
        .iter()
        // v1alpha1: what kcp v0.11 serves, and v0.32 too (beside v1alpha2, see `resolve`).
        .find(|d| d.store_key() == APIBINDINGS && d.version == "v1alpha1")?
        .clone();
    let bindings_v2 = sim
        .builtins
        .iter()
        .find(|d| d.store_key() == APIBINDINGS && d.version == "v1alpha2")
        .cloned();
    Some(View {
        defs,
        bindings,
        bindings_v2,
        label: export_label_value(export_cluster, export_name),
        claimed,
    })
}

impl View {
    /// The definition serving a path in the view, the label the caller is limited to, and
    /// whether it is read-only (the view's APIBindings are).
    pub(crate) fn resolve(
        &self,
        res: &crate::api::ResPath,
    ) -> Option<(Arc<ResourceDef>, Option<LabelSelector>, bool)> {
        if res.group == self.bindings.group && res.plural == self.bindings.plural {
            let def = match self.bindings_v2.as_ref() {
                Some(v2) if res.version == v2.version => v2.clone(),
                _ if res.version == self.bindings.version => self.bindings.clone(),
                _ => return None,
            };
            return Some((def, Some(LabelSelector::eq(EXPORT_LABEL, &self.label)), true));
        }
        self.defs
            .iter()
            .find(|d| d.group == res.group && d.version == res.version && d.plural == res.plural)
            .map(|d| (d.clone(), None, false))
    }

    /// A claimed resource at this path, and its claim.
    pub(crate) fn claim(&self, res: &crate::api::ResPath) -> Option<(Arc<ResourceDef>, Claim)> {
        self.claimed
            .iter()
            .find(|(d, _)| d.group == res.group && d.version == res.version && d.plural == res.plural)
            .cloned()
    }
}
