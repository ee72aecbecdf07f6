//! What the rep edits: sequence files and message templates, loaded, checked and rendered.

pub mod library;
pub mod lint;
pub mod located;
pub mod render;
pub mod scaffold;
pub mod sequence;
pub mod template;

pub use library::{Library, LoadError};
pub use located::Located;
pub use render::{fill_gaps, render_step};
pub use sequence::{Origin, Sequence};
pub use template::{Me, MergeValues, Rendered, Template};
