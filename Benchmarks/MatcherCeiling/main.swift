// The matcher's ceiling: the motif matcher alone, fed the notes of a data set's MIDI
// truth instead of the notes the listener hears, so that what it still gets wrong is the
// matcher's doing, not the pitch tracker's or the segmenter's.
//
//   swift run -c release MatcherCeiling DATASET [library.toml] > ceiling.jsonl
//   python3 ../shared/bench/evaluate.py DATASET ceiling.jsonl
//
// Only the monophonic scenes have a pitch truth (`pitch_truth/scene_NN.csv`: t,f0 every
// 10 ms, 0 in rests): read the solo, transposed, tempo, timbre and ornamented rows of the
// score (the other scenes get no events, so their rows count every occurrence missed).
// A note starts where the truth's pitch starts or moves by more than half a semitone, and
// is handed to the matcher 70 ms later, about when the segmenter confirms a note.
import Foundation
import MotifConfig
import MotifCore

func fail(_ message: String, status: Int32 = 1) -> Never {
    FileHandle.standardError.write("MatcherCeiling: \(message)\n".data(using: .utf8)!)
    exit(status)
}

let arguments = CommandLine.arguments
guard arguments.count >= 2 else { fail("usage: MatcherCeiling DATASET [LIBRARY]", status: 2) }
let dataset = URL(fileURLWithPath: arguments[1])
let libraryPath = arguments.count >= 3 ? arguments[2] : dataset.appendingPathComponent("library.toml").path

let library: MotifLibrary
do { library = try MotifLibraryLoader.load(path: libraryPath) } catch { fail("\(libraryPath): \(error)") }
guard let scenes = try? String(contentsOf: dataset.appendingPathComponent("scenes.csv"), encoding: .utf8) else {
    fail("no scenes.csv in \(dataset.path)")
}

/// Onsets of the truth's notes, from its 10 ms pitch track.
func truthOnsets(_ csv: String) -> [NoteOnset] {
    var onsets: [NoteOnset] = []
    var previous: Float = 0
    for line in csv.split(whereSeparator: \.isNewline).dropFirst() {
        let fields = line.split(separator: ",")
        guard fields.count >= 2, let time = Double(fields[0]), let f0 = Float(fields[1]) else { continue }
        let midi: Float = f0 > 0 ? 69 + 12 * log2(f0 / 440) : 0
        if midi > 0 && (previous == 0 || abs(midi - previous) > 0.5) {
            onsets.append(NoteOnset(start: time, pitch: midi, confirmed: time + 0.07))
        }
        previous = midi
    }
    return onsets
}

let template = MotifMatcher(library: library)
var encoder = EventJSONEncoder()
for row in scenes.split(whereSeparator: \.isNewline).dropFirst() {
    let source = String(row.split(separator: ",")[0])  // audio/scene_NN.flac
    let stem = (source as NSString).lastPathComponent.split(separator: ".")[0]
    let truthFile = dataset.appendingPathComponent("pitch_truth/\(stem).csv")
    guard let csv = try? String(contentsOf: truthFile, encoding: .utf8) else { continue }
    let escapedSource = EventJSONEncoder.escapedString(dataset.appendingPathComponent(source).path)
    var matcher = template
    let onsets = truthOnsets(csv)
    func report(_ recognition: Recognition) {
        encoder.append(.recognition(recognition), escapedSource: escapedSource)
    }
    // Time passes in 10 ms steps, as frames do in the listener.
    var next = 0
    var time = 0.0
    let end = (onsets.last?.confirmed ?? 0) + 3
    while time < end {
        while next < onsets.count && onsets[next].confirmed <= time {
            matcher.process(onsets[next], onRecognition: report)
            next += 1
        }
        matcher.advance(to: time, onRecognition: report)
        time += 0.01
    }
    matcher.flush(at: time, onRecognition: report)
}
FileHandle.standardOutput.write(Data(encoder.bytes))
