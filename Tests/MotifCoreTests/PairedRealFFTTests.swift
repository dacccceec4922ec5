import CKissFFT
import MotifCore
import XCTest

final class PairedRealFFTTests: XCTestCase {
    func testThePairGivesEachSequencesOwnSpectrum() {
        let size = 768
        var state: UInt64 = 3
        func next() -> Float {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Float(state >> 40) / Float(1 << 24) - 0.5
        }
        let first = (0..<size).map { _ in next() }
        let second = (0..<size).map { i in i < 300 ? 0 : next() }  // zeros in front, as YIN's window
        let single = RealFFT(size: size)
        var expectedFirst = [kiss_fft_cpx](repeating: kiss_fft_cpx(), count: single.binCount)
        var expectedSecond = expectedFirst
        single.forward(first, &expectedFirst)
        single.forward(second, &expectedSecond)

        let pair = PairedRealFFT(size: size)
        for i in 0..<size { pair.input[i] = kiss_fft_cpx(r: first[i], i: second[i]) }
        var gotFirst = expectedFirst.map { _ in kiss_fft_cpx() }
        var gotSecond = gotFirst
        pair.forward(first: &gotFirst, second: &gotSecond)
        for k in 0..<pair.binCount {
            XCTAssertEqual(gotFirst[k].r, expectedFirst[k].r, accuracy: 1e-3, "bin \(k)")
            XCTAssertEqual(gotFirst[k].i, expectedFirst[k].i, accuracy: 1e-3, "bin \(k)")
            XCTAssertEqual(gotSecond[k].r, expectedSecond[k].r, accuracy: 1e-3, "bin \(k)")
            XCTAssertEqual(gotSecond[k].i, expectedSecond[k].i, accuracy: 1e-3, "bin \(k)")
        }
    }
}
