//! Syntax highlighting with syntect, as CSS classes (placeholder until implemented).

/// Loaded once per process and shared by all render threads.
pub struct Highlighter {}

impl Highlighter {
    pub fn new() -> Highlighter {
        Highlighter {}
    }

    /// The stylesheet for the light and dark themes.
    pub fn css(&self, _light_theme: &str, _dark_theme: &str) -> Result<String, String> {
        Ok(String::new())
    }
}

impl Default for Highlighter {
    fn default() -> Self {
        Self::new()
    }
}
