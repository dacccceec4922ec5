/// Float-to-integer rounding without a libm call. The build targets baseline x86-64,
/// which has no rounding instruction (SSE4.1's `roundss`), so `rounded()` calls
/// `roundf`, `floorf` or `ceilf`; in the per-frame loops those calls cost more than the
/// arithmetic around them. Exact for |x| < 2^23, like the library functions.

/// `Int(x.rounded())`: to nearest, halves away from zero.
@inline(__always)
func roundedToInt(_ x: Float) -> Int {
    let t = Int(x)  // toward zero
    let fraction = x - Float(t)
    if fraction >= 0.5 { return t + 1 }
    if fraction <= -0.5 { return t - 1 }
    return t
}

/// `Int(x.rounded(.down))`.
@inline(__always)
func flooredToInt(_ x: Float) -> Int {
    let t = Int(x)
    return Float(t) > x ? t - 1 : t
}

/// `Int(x.rounded(.up))`.
@inline(__always)
func ceiledToInt(_ x: Float) -> Int {
    let t = Int(x)
    return Float(t) < x ? t + 1 : t
}
