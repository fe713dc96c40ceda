//! Colour contrast (WCAG 2): editor themes often colour comments and constants too
//! faintly to read; highlighted code must stay readable for everyone.

/// The contrast the stylesheet guarantees for normal-size text (WCAG AA).
pub(super) const MIN_CONTRAST: f64 = 4.5;

fn channel(c: u8) -> f64 {
    let c = c as f64 / 255.0;
    if c <= 0.03928 {
        c / 12.92
    } else {
        ((c + 0.055) / 1.055).powf(2.4)
    }
}

fn luminance([r, g, b]: [u8; 3]) -> f64 {
    0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)
}

/// The contrast ratio of two colours (1 to 21).
pub(super) fn ratio(a: [u8; 3], b: [u8; 3]) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

/// `colour`, moved towards black (on light backgrounds) or white (on dark ones) just far
/// enough to reach [`MIN_CONTRAST`] against `background`; unchanged if it already does.
pub(super) fn readable(colour: [u8; 3], background: [u8; 3]) -> [u8; 3] {
    let target: f64 = if luminance(background) > 0.18 {
        0.0
    } else {
        255.0
    };
    let mut c = colour;
    for step in 1..=20 {
        if ratio(c, background) >= MIN_CONTRAST + 0.05 {
            break;
        }
        let t = step as f64 / 20.0;
        c = colour.map(|v| (v as f64 + (target - v as f64) * t).round() as u8);
    }
    c
}

/// Rewrites every `color: #rrggbb` declaration (not `background-color`) in `css` to be
/// readable against `background`.
pub(super) fn fix_colours(css: &str, background: [u8; 3]) -> String {
    let mut out = String::with_capacity(css.len());
    let mut rest = css;
    while let Some(i) = rest.find("color: #") {
        let is_background = rest[..i].ends_with("background-");
        let start = i + "color: #".len();
        out.push_str(&rest[..start]);
        let digits = &rest[start..];
        match parse_hex(digits) {
            Some((rgb, len)) if !is_background => {
                let [r, g, b] = readable(rgb, background);
                out.push_str(&format!("{r:02x}{g:02x}{b:02x}"));
                rest = &digits[len..];
            }
            _ => rest = digits,
        }
    }
    out.push_str(rest);
    out
}

/// `rrggbb` or `rrggbbaa` (alpha dropped) at the start of `s`, with its length.
fn parse_hex(s: &str) -> Option<([u8; 3], usize)> {
    let len = s.chars().take_while(|c| c.is_ascii_hexdigit()).count();
    if len != 6 && len != 8 {
        return None;
    }
    let byte = |i: usize| u8::from_str_radix(&s[i..i + 2], 16).ok();
    Some(([byte(0)?, byte(2)?, byte(4)?], len))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_ratios() {
        assert!((ratio([0, 0, 0], [255, 255, 255]) - 21.0).abs() < 0.01);
        assert!((ratio([0x96, 0x98, 0x96], [255, 255, 255]) - 2.9).abs() < 0.1);
    }

    #[test]
    fn faint_colours_are_darkened_or_lightened() {
        let white = [255, 255, 255];
        let fixed = readable([0x96, 0x98, 0x96], white);
        assert!(ratio(fixed, white) >= MIN_CONTRAST, "{fixed:?}");
        let dark = [0x2b, 0x30, 0x3b];
        let fixed = readable([0x65, 0x73, 0x7e], dark);
        assert!(ratio(fixed, dark) >= MIN_CONTRAST, "{fixed:?}");
        assert_eq!(
            readable([0, 0, 0], white),
            [0, 0, 0],
            "readable colours stay"
        );
    }

    #[test]
    fn rewrites_only_text_colours() {
        let css = ".a {\n color: #969896;\n background-color: #ffffff;\n}\n.b { color: #000000; }";
        let out = fix_colours(css, [255, 255, 255]);
        assert!(!out.contains("#969896"));
        assert!(out.contains("background-color: #ffffff;"));
        assert!(out.contains("color: #000000;"));
    }
}
