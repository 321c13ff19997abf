//! How the operations tell the person at the terminal what is going on, without knowing
//! whether one is there: the commands pass the terminal's side (`ui`), tests pass their own.

pub(crate) trait Feedback: Send + Sync {
    /// A sentence worth showing now (why it waits, what it detected).
    fn note(&self, message: &str);
    /// How far along: `done` of `total`.
    fn progress(&self, done: u64, total: u64);
}
