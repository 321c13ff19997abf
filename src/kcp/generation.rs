//! Which kcp the plugin talks to. kcp v0.28 changed what a client of APIExports meets: the
//! export is stored as `apis.kcp.io/v1alpha2` (`spec.resources` instead of
//! `spec.latestResourceSchemas`), `status.virtualWorkspaces` stays empty (unless an alpha
//! feature gate is on), and kcp makes an `APIExportEndpointSlice` named after the export whose
//! `status.endpoints` lists a shard's view URL only once something on that shard binds the
//! export. Found out once per connection, from discovery (which versions of `apis.kcp.io`
//! are served), unless `--kcp-generation` says.

use crate::kcp::{ApiErr, Kcp};
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, serde::Serialize)]
pub enum Generation {
    /// kcp serving APIExports only as v1alpha1 (v0.11): view URLs in the export's status.
    #[value(name = "0.11")]
    #[serde(rename = "0.11")]
    V0_11,
    /// kcp serving APIExport v1alpha2 (v0.28 and later, v0.32): view URLs only in the
    /// endpoint slice kcp makes, once something binds the export.
    #[value(name = "0.32")]
    #[serde(rename = "0.32")]
    V0_32,
}

impl Generation {
    /// The version of `apis.kcp.io` APIExports are written and read in.
    pub fn export_version(self) -> &'static str {
        match self {
            Generation::V0_11 => "v1alpha1",
            Generation::V0_32 => "v1alpha2",
        }
    }

    /// `apis/apis.kcp.io/<version>/apiexports`.
    pub fn apiexports(self) -> String {
        use super::resource::Address;
        super::types::ApiExport::collection_at(self.export_version())
    }

    /// Whether the view URLs come from the endpoint slice kcp makes (empty until something
    /// binds the export), rather than from the export's status.
    pub fn slice_urls(self) -> bool {
        self == Generation::V0_32
    }
}

impl fmt::Display for Generation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Generation::V0_11 => {
                "kcp v0.11 (APIExport v1alpha1, view URLs in the export's status.virtualWorkspaces)"
            }
            Generation::V0_32 => {
                "kcp v0.28 or later (APIExport v1alpha2, view URLs in the APIExportEndpointSlice kcp makes, once something binds the export)"
            }
        })
    }
}

/// From the versions of `apis.kcp.io` a logical cluster serves: v1alpha2 means v0.28 or later.
pub(crate) fn from_versions(versions: &[String]) -> Generation {
    if versions.iter().any(|v| v == "v1alpha2") {
        Generation::V0_32
    } else {
        Generation::V0_11
    }
}

/// Ask the server: one GET of the `apis.kcp.io` group's discovery in `cluster`.
pub(crate) async fn detect(kcp: &Kcp, cluster: &str) -> Result<Generation, ApiErr> {
    #[derive(serde::Deserialize)]
    struct Group {
        #[serde(default)]
        versions: Vec<Version>,
    }
    #[derive(serde::Deserialize)]
    struct Version {
        #[serde(default)]
        version: String,
    }
    let discovery = format!("apis/{}", <super::types::ApiExport as kube::Resource>::group(&()));
    let group: Option<Group> = kcp.cluster(cluster).get(&discovery).await?;
    let versions: Vec<String> = group
        .map(|g| g.versions.into_iter().map(|v| v.version).collect())
        .unwrap_or_default();
    Ok(from_versions(&versions))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn v1alpha2_means_the_newer_generation() {
        let v = |s: &[&str]| s.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        assert_eq!(from_versions(&v(&["v1alpha1"])), Generation::V0_11);
        assert_eq!(from_versions(&v(&["v1alpha2", "v1alpha1"])), Generation::V0_32);
        assert_eq!(from_versions(&[]), Generation::V0_11);
        assert_eq!(
            Generation::V0_32.apiexports(),
            "apis/apis.kcp.io/v1alpha2/apiexports"
        );
    }
}
