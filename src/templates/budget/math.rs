//! Tera's math (`+ - * / %`), with every overflow an error: Tera panics on some
//! (`i64::MIN % -1`, floats adding up past f64's range). Division and remainder by 0 are
//! errors too, where Tera writes `NaN`.

use std::collections::HashMap;

use serde_json::Number;
use tera::Value;

use super::near;

/// The function the instrumented templates call for `l op r`; `ls` and `rs` are the
/// operands as written, to place errors.
pub(super) fn math(args: &HashMap<String, Value>) -> tera::Result<Value> {
    let text = |k: &str| args.get(k).and_then(Value::as_str).unwrap_or("");
    let op = text("op");
    let (ls, rs) = (text("ls"), text("rs"));
    let operation = Operation {
        op,
        l: operand(args.get("l"), ls, op)?,
        r: operand(args.get("r"), rs, op)?,
        written: if ls.is_empty() { rs } else { ls },
    };
    match op {
        "+" | "-" | "*" => operation.add_subtract_multiply(),
        "/" => operation.divide(),
        "%" => operation.remainder(),
        _ => Err(operation.problem("uses an unknown operator")),
    }
}

/// An operand, which must be a number; `source` is how it is written.
fn operand(value: Option<&Value>, source: &str, op: &str) -> tera::Result<Number> {
    match value {
        Some(Value::Number(n)) => Ok(n.clone()),
        other => {
            let shown = if source.is_empty() {
                other.map_or("nothing".to_string(), Value::to_string)
            } else {
                source.to_string()
            };
            Err(near(
                source,
                format!("`{shown}` is used in a math operation (`{op}`) but is not a number"),
                "convert it with `| int` or `| float`, or check its name",
            ))
        }
    }
}

struct Operation<'a> {
    op: &'a str,
    l: Number,
    r: Number,
    /// What to point at in the template when it fails: an operand as written.
    written: &'a str,
}

impl Operation<'_> {
    fn problem(&self, what: &str) -> tera::Error {
        let (l, op, r) = (&self.l, self.op, &self.r);
        near(
            self.written,
            format!("`{l} {op} {r}` {what}"),
            "check the numbers used in this calculation",
        )
    }

    fn float(&self, x: f64) -> tera::Result<Value> {
        Number::from_f64(x)
            .map(Value::Number)
            .ok_or_else(|| self.problem("is not a finite number"))
    }

    fn integer(&self, i: Option<i64>, u: Option<u64>) -> tera::Result<Value> {
        match (i, u) {
            (Some(i), _) => Ok(Value::from(i)),
            (None, Some(u)) => Ok(Value::from(u)),
            _ => Err(self.problem("is out of range")),
        }
    }

    fn floats(&self) -> (f64, f64) {
        (
            self.l.as_f64().unwrap_or(f64::NAN),
            self.r.as_f64().unwrap_or(f64::NAN),
        )
    }

    /// `+`, `-`, `*`: in i64 when both fit, else in u64, else in floats.
    fn add_subtract_multiply(&self) -> tera::Result<Value> {
        let (lf, rf) = self.floats();
        match (
            self.l.as_i64(),
            self.r.as_i64(),
            self.l.as_u64(),
            self.r.as_u64(),
        ) {
            (Some(a), Some(b), _, _) => self.integer(
                match self.op {
                    "+" => a.checked_add(b),
                    "-" => a.checked_sub(b),
                    _ => a.checked_mul(b),
                },
                None,
            ),
            (_, _, Some(a), Some(b)) => self.integer(
                None,
                match self.op {
                    "+" => a.checked_add(b),
                    "-" => a.checked_sub(b),
                    _ => a.checked_mul(b),
                },
            ),
            _ => self.float(match self.op {
                "+" => lf + rf,
                "-" => lf - rf,
                _ => lf * rf,
            }),
        }
    }

    /// `/`: a whole quotient is an integer, as in Tera.
    fn divide(&self) -> tera::Result<Value> {
        let (lf, rf) = self.floats();
        if rf == 0.0 {
            return Err(self.problem("divides by zero"));
        }
        let q = lf / rf;
        if q.is_finite() && q.fract() == 0.0 && q.abs() < 9.0e18 {
            Ok(Value::from(q as i64))
        } else {
            self.float(q)
        }
    }

    fn remainder(&self) -> tera::Result<Value> {
        let (lf, rf) = self.floats();
        match (
            self.l.as_i64(),
            self.r.as_i64(),
            self.l.as_u64(),
            self.r.as_u64(),
        ) {
            (_, Some(0), _, _) | (_, _, _, Some(0)) => Err(self.problem("divides by zero")),
            (Some(a), Some(b), _, _) => self.integer(a.checked_rem(b), None),
            (_, _, Some(a), Some(b)) => self.integer(None, a.checked_rem(b)),
            _ if rf == 0.0 => Err(self.problem("divides by zero")),
            _ => self.float(lf % rf),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(l: Value, op: &str, r: Value) -> Result<Value, String> {
        let args = HashMap::from([
            ("l".to_string(), l),
            ("r".to_string(), r),
            ("op".to_string(), Value::from(op)),
            ("ls".to_string(), Value::from("a")),
            ("rs".to_string(), Value::from("b")),
        ]);
        super::super::begin();
        let result = math(&args).map_err(|e| e.to_string());
        super::super::end();
        result
    }

    #[test]
    fn integers_floats_and_their_limits() {
        let big = Value::from(u64::MAX);
        assert_eq!(run(Value::from(2), "+", Value::from(3)), Ok(Value::from(5)));
        assert_eq!(
            run(big.clone(), "-", Value::from(1u64 << 63)),
            Ok(Value::from((1u64 << 63) - 1))
        );
        assert_eq!(
            run(Value::from(10), "/", Value::from(4)),
            Ok(Value::from(2.5))
        );
        assert_eq!(
            run(Value::from(10), "/", Value::from(5)),
            Ok(Value::from(2))
        );
        assert_eq!(
            run(Value::from(7.5), "%", Value::from(2)),
            Ok(Value::from(1.5))
        );
        assert!(
            run(big.clone(), "+", Value::from(1u64)).is_err(),
            "overflow"
        );
        assert!(run(Value::from(i64::MIN), "%", Value::from(-1)).is_err());
        assert!(run(Value::from(1), "/", Value::from(0)).is_err());
        assert!(run(Value::from(1), "%", Value::from(0)).is_err());
        assert!(run(Value::from(f64::MAX), "*", Value::from(2.0)).is_err());
        assert!(run(Value::from("x"), "+", Value::from(1)).is_err());
        assert!(run(Value::from(1), "^", Value::from(1)).is_err());
    }
}
