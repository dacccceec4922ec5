/// Sum of squares of `count` floats, eight lanes at a time. (A plain loop adds one value
/// after another and waits for each addition; the pitch front end sums about a thousand
/// squares a frame.)
@inline(__always)
func sumOfSquares(_ values: UnsafePointer<Float>, count: Int) -> Float {
    let raw = UnsafeRawPointer(values)
    var lanes = SIMD8<Float>()
    var index = 0
    while index + 8 <= count {
        let block = raw.loadUnaligned(fromByteOffset: index * MemoryLayout<Float>.stride, as: SIMD8<Float>.self)
        lanes += block * block
        index += 8
    }
    var sum = lanes.sum()
    while index < count {
        sum += values[index] * values[index]
        index += 1
    }
    return sum
}
