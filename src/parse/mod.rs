//! Front ends: each turns its input into resources of the common graph.

pub mod allowed;
pub mod budget;
pub mod cloudformation;
pub mod json;
pub mod limits;
pub mod plan;
mod sam;
pub mod yaml;
