//! An export's view: what a consumer's workspace serves through it.

use super::*;

// ---------------------------------------------------------------------------------------
// The export's view

pub struct View {
    pub defs: Vec<Arc<ResourceDef>>,
    pub bindings: Arc<ResourceDef>,
    pub label: String,
    /// What the export's permission claims serve, and the claim serving each.
    pub claimed: Vec<(Arc<ResourceDef>, Claim)>,
}

pub fn view(sim: &Sim, export_cluster: &str, export_name: &str) -> Option<View> {
    let state = sim.state();
    let export = state.get(APIEXPORTS, &key(export_cluster, export_name))?;
    let defs = export_defs(&state, export_cluster, export).ok()?;
    let claimed = claimed_defs(sim, &state, &defs, &export_claims(export));
    let bindings = sim
        .builtins
        .iter()
        .find(|d| d.store_key() == APIBINDINGS)?
        .clone();
    Some(View {
        defs,
        bindings,
        label: export_label_value(export_cluster, export_name),
        claimed,
    })
}

impl View {
    /// The definition serving a path in the view, the label the caller is limited to, and
    /// whether it is read-only (the view's APIBindings are).
    pub fn resolve(
        &self,
        res: &crate::api::ResPath,
    ) -> Option<(Arc<ResourceDef>, Option<LabelSelector>, bool)> {
        if res.group == self.bindings.group
            && res.version == self.bindings.version
            && res.plural == self.bindings.plural
        {
            return Some((
                self.bindings.clone(),
                Some(LabelSelector::eq(EXPORT_LABEL, &self.label)),
                true,
            ));
        }
        self.defs
            .iter()
            .find(|d| d.group == res.group && d.version == res.version && d.plural == res.plural)
            .map(|d| (d.clone(), None, false))
    }

    /// A claimed resource at this path, and its claim.
    pub fn claim(&self, res: &crate::api::ResPath) -> Option<(Arc<ResourceDef>, Claim)> {
        self.claimed
            .iter()
            .find(|(d, _)| d.group == res.group && d.version == res.version && d.plural == res.plural)
            .cloned()
    }
}
