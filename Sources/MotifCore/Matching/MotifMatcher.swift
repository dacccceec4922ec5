import Foundation

/// Incremental matching of every library motif against the stream of note onsets.
///
/// Each motif is aligned to the notes by a streaming local alignment over pitch intervals
/// and onset ratios (the DP of subsequence matching, kept sparse): a partial alignment is
/// a state (motif, note index j, cost, start, tempo so far). Every new note extends the
/// states of the previous four notes (`lookback`), so inserted notes can be skipped (up
/// to two real extra notes, more when they are ornaments or pieces of a split note; a
/// possible repeat, only a dip of the level, is taken for a note at half credit or passed
/// over freely), may skip one motif note (a missed note; two when they are merged
/// repeats), and starts new alignments only for motifs whose opening interval fits, found
/// through an interval index, so the cost per note grows with the number of plausible
/// motifs, not with the library. A motif is recognised the moment its last note is heard
/// with enough evidence (more where much of the library fits the same notes:
/// `cohortShare`), unless another reading of the same notes may still prove better: then
/// it waits, about two notes, or while a more convincing rival goes on (`contest`,
/// `waitedEnough`). One that only just reaches the threshold waits for its last note to
/// sound on (`holdMargin`).
public struct MotifMatcher {
    struct State {
        var motif: Int32
        var note: Int32          // j: index of the motif note matched to this column's note
        var cost: Float
        var startTime: Double
        var startBeat: Float
        var transpositionSum: Float
        /// Stream pitch minus motif pitch at the latest note heard at its right pitch: the
        /// next note is expected at its motif pitch plus this (an octave-displaced note
        /// does not move it).
        var offset: Float
        var matched: Int16
        var edits: Int16
        var credit: Float = 0     // information of the matched notes (about 1 a note)
        var lastTime: Double = 0     // onset of the latest matched note
        /// The opening note may be the last piece of a note the segmenter split: then
        /// `pieceStart` is the first piece's onset, which the first rhythm check may
        /// prefer (paying `splitCost` a piece); 0 pieces: no such reading.
        var pieceStart: Double = 0
        var pieces: Int16 = 0
        /// The motif's opening note was missed where another note began in its place: the
        /// notes are another phrase that continues as the motif does (see
        /// `anotherNote(_:opens:...)`). Such an alignment still contests its rivals, but
        /// is never reported itself, not even as a candidate.
        var openingReplaced = false
        /// The range of tempi (seconds a beat) within `tempoFitTolerance` of every onset
        /// interval matched so far (see `Settings.tempoFitShareOfLibraryPenalty`).
        var slowestFit: Float = .greatestFiniteMagnitude
        var fastestFit: Float = 0
    }

    /// A complete alignment held back while a rival alignment over the same notes may
    /// still prove better (a motif that is a prefix or near-copy of another).
    struct Pending {
        var state: State
        var deadline: Double
        /// The motif's closing repeated notes are missing (merged into the one before them,
        /// as legato playing does): if the next note is that repeat after all, the longer
        /// alignment is decided instead.
        var mergedTail = false
        /// The last note must sound until then (see `holdMargin`) at `heldPitch`; nil: no
        /// hold, or it is over.
        var holdUntil: Double?
        var heldPitch: Float = 0
        /// Onset of a note of another pitch that came during the hold, or where a merged
        /// closing repeat was due (`repeatReplaced`): it ended the motif unless the held
        /// pitch is back within `ornamentLength` (a glitch of the tracker: an organ's
        /// mixture or a square wave's strong fifth partial read as a note).
        var interruptedAt: Double?
        /// The cohort cost in `state.cost` (see `cohortShare`): rivals over the same notes
        /// are measured without it, and so is the state when it is compared with them.
        var cohort: Float = 0
        /// When the next notes of the rivals it waits for are all overdue (see `contest`):
        /// a pause in the music then decides it. (Minus infinity: no rival; it waits only
        /// for a stronger reading that is waiting too.)
        var rivalsDue = Double.infinity
    }

    enum Contest { case won, waiting, lost }

    public let settings: Settings
    public let motifs: [CompiledMotif]
    /// The current note and the ones before it whose alignments it may extend: at most
    /// `lookback - 2` notes come between two aligned ones. (5 unless changed: a reading of
    /// a mix's melody, where the accompaniment shows through between the melody's notes,
    /// may look further back in its copy. Changing it forgets the notes heard so far.)
    public var lookback = 5 {
        didSet {
            guard lookback != oldValue else { return }
            precondition(lookback >= 3, "an alignment must reach past one inserted note")
            (columns, noteTimes, notePitches, notePossibleRepeat) = Self.emptyRing(lookback)
            noteCount = 0
        }
    }
    private var columns: [[State]]        // ring of the last `lookback` notes' states
    private var noteTimes: [Double]
    private var notePitches: [Float]
    private var notePossibleRepeat: [Bool]
    private var noteCount = 0
    /// Opening interval in semitones (-36...36, at `intervalKeyOffset + interval`) ->
    /// (motif, from note, to note) starts.
    private let startIndex: [[(motif: Int32, from: Int8, to: Int8)]]
    /// The motifs' notes in flat arrays (motif m's note j at `slotBase[m] + j`): the hot
    /// loops read these without copying a motif's arrays (and their reference counts).
    private let flatPitches: [Float]
    private let flatOnsets: [Float]
    private let flatRepeats: [Bool]
    private let flatCredits: [Float]
    /// Credit still to be earned after each motif note (the sum over the notes after it):
    /// an alignment that cannot reach the threshold even so is dropped early.
    private let flatCreditsAfter: [Float]
    private let noteCounts: [Int]
    /// Per motif: the first note of its closing run of repeated pitches (count - 1 if none).
    private let closingRepeatStart: [Int]
    /// Per motif: index of its first note in the flat arrays and in `slots`.
    private let slotBase: [Int]
    /// Per (motif, note): the slot of the column being built that holds the alignment
    /// with the most evidence ending there.
    private var slots: SlotTable
    private var generation: Int32 = 0
    /// Per motif: stream time of the last matched note of its latest recognition.
    private var lastRecognitionEnd: [Double]
    private var pending: [Pending] = []
    private let libraryPenalty: Float
    /// An alignment whose evidence could not reach this even if every note still to come
    /// were heard perfectly (evidence before the library's penalty) is dropped: it falls
    /// short of the threshold by more than a rival's margin, so it could not hold back a
    /// rival either. Starts that could not reach it are left out of the interval index.
    private let reachableFloor: Float
    private let deletionCost: Float
    /// What a complete alignment whose onset intervals no one tempo fits pays.
    private let tempoMisfitCost: Float
    /// The latest recognitions (start, last note, evidence): later alignments over mostly
    /// the same notes are other readings of an occurrence already reported.
    private var recent: [(start: Double, last: Double, strength: Float)] = []

    public init(library: MotifLibrary, settings: Settings = Settings()) {
        self.settings = settings
        octaveDisplacementCost = settings.octaveDisplacementCost
        motifs = library.motifs.map(CompiledMotif.init)
        (columns, noteTimes, notePitches, notePossibleRepeat) = Self.emptyRing(lookback)
        var index = Array(repeating: [(motif: Int32, from: Int8, to: Int8)](), count: 2 * Self.intervalKeyOffset + 1)
        let credits = NoteInformation.credits(of: motifs, uniform: settings.uniformCredit)
        // Per motif note: the credit of the notes after it.
        let creditsAfter = credits.map { notes in
            var after = [Float](repeating: 0, count: notes.count)
            var sum: Float = 0
            for j in notes.indices.reversed() {
                after[j] = sum
                sum += notes[j]
            }
            return after
        }
        let libraryPenalty = settings.evidencePerDecade
            * max(0, log10(Float(motifs.count) / Float(settings.referenceLibrarySize)))
        let deletionCost = settings.deletionCost + libraryPenalty
        self.libraryPenalty = libraryPenalty
        self.deletionCost = deletionCost
        splitCost = settings.splitCost + settings.splitShareOfLibraryPenalty * libraryPenalty
        tempoMisfitCost = settings.tempoFitShareOfLibraryPenalty * libraryPenalty
        let reachableFloor = settings.acceptEvidence - settings.rivalMargin + libraryPenalty
        self.reachableFloor = reachableFloor
        var bases: [Int] = []
        var total = 0
        for (m, motif) in motifs.enumerated() {
            bases.append(total)
            total += motif.count
            let p = motif.pitches
            // A start that could not reach `reachableFloor` is left out of the index
            // (`extend` would drop it at once): in a large library, short motifs opening
            // on a missed note.
            func add(_ from: Int, _ to: Int, cost: Float = 0) {
                let best = settings.evidencePerNote * (credits[m][to] + creditsAfter[m][to]) - cost
                guard best >= reachableFloor else { return }
                index[Self.intervalKey(p[to] - p[from])].append((Int32(m), Int8(from), Int8(to)))
            }
            add(0, 1)
            if motif.count > 2 {
                // Second note missed. The index counts the full cost even where the note is
                // quick (`quickNoteLength`, known only from the tempo): letting in the starts
                // only the quick-note discount could lift found no more over 24 generated sets.
                add(0, 2, cost: motif.repeatsPrevious[1] ? settings.mergedRepeatCost : deletionCost)
                add(1, 2, cost: deletionCost)  // first note missed
            }
            if motif.count > 3 && motif.repeatsPrevious[1] && motif.repeatsPrevious[2] {
                add(0, 3, cost: 2 * settings.mergedRepeatCost)  // an opening C C C heard as one note
            }
        }
        startIndex = index
        slotBase = bases
        flatPitches = motifs.flatMap(\.pitches)
        flatOnsets = motifs.flatMap(\.onsetBeats)
        flatRepeats = motifs.flatMap(\.repeatsPrevious)
        flatCredits = credits.flatMap { $0 }
        flatCreditsAfter = creditsAfter.flatMap { $0 }
        noteCounts = motifs.map(\.count)
        closingRepeatStart = motifs.map { motif in
            var j = motif.count - 1
            while j > 1 && motif.repeatsPrevious[j] { j -= 1 }
            return j
        }
        slots = SlotTable(count: max(1, total))
        lastRecognitionEnd = Array(repeating: -.infinity, count: motifs.count)
    }

    static let intervalKeyOffset = 36

    /// The ring of the last `notes` notes: their alignments (room reserved), onsets,
    /// pitches and possible-repeat flags.
    private static func emptyRing(_ notes: Int) -> ([[State]], [Double], [Float], [Bool]) {
        var columns = [[State]](repeating: [], count: notes)
        for i in 0..<notes { columns[i].reserveCapacity(256) }
        return (columns, Array(repeating: 0, count: notes), Array(repeating: 0, count: notes),
                Array(repeating: false, count: notes))
    }

    static func intervalKey(_ interval: Float) -> Int {
        max(0, min(2 * intervalKeyOffset, Int(interval.rounded()) + intervalKeyOffset))
    }

    public mutating func reset() {
        for i in 0..<lookback { columns[i].removeAll(keepingCapacity: true) }
        noteCount = 0
        for i in lastRecognitionEnd.indices { lastRecognitionEnd[i] = -.infinity }
        pending.removeAll()
        recent.removeAll()
        lastCandidate = nil
    }

    /// End of the stream: every waiting recognition is decided now (one whose last note
    /// has not sounded long enough yet is not one).
    public mutating func flush(at time: Double, onRecognition: (Recognition) -> Void) {
        for entry in pending where entry.interruptedAt == nil && entry.holdUntil.map({ time >= $0 }) ?? true {
            accept(entry.state, at: time, onRecognition: onRecognition)
        }
        pending.removeAll()
    }

    /// Stream time passes without a note: recognitions whose last note has sounded long
    /// enough, and that waited long enough for a rival to prove itself, are decided now.
    public mutating func advance(to time: Double, onRecognition: (Recognition) -> Void) {
        guard !pending.isEmpty else { return }
        var index = 0
        while index < pending.count {
            if let interrupted = pending[index].interruptedAt {
                // The held pitch would have been back, and reported, by now.
                if time >= interrupted + settings.ornamentLength + settings.holdConfirmation {
                    pending.remove(at: index)
                } else {
                    index += 1
                }
                continue
            }
            if let until = pending[index].holdUntil {
                guard time >= until + settings.holdConfirmation else {
                    index += 1
                    continue
                }
                pending[index].holdUntil = nil
                if !decide(index, at: time, onRecognition: onRecognition) { index += 1 }
            } else if waitedEnough(pending[index], at: time) {
                // A stronger reading of the same notes still undecided is decided first.
                if strongerRivalPending(index) { index += 1; continue }
                let state = pending.remove(at: index).state
                if !outshoneByRecent(state) { accept(state, at: time, onRecognition: onRecognition) }
            } else if time > pending[index].rivalsDue {
                // The rivals' next notes have not come: a pause, and they cannot complete.
                if !decide(index, at: time, onRecognition: onRecognition) { index += 1 }
            } else {
                index += 1
            }
        }
    }

    /// Contests waiting recognition `index` at `time`: it is accepted or dropped (true), or
    /// it waits on (false).
    private mutating func decide(_ index: Int, at time: Double, onRecognition: (Recognition) -> Void) -> Bool {
        var outcome = contest(pending[index].state, cohort: pending[index].cohort, at: time,
                              rivalsDue: &pending[index].rivalsDue)
        if outcome == .waiting && waitedEnough(pending[index], at: time) { outcome = .won }
        if outcome == .won && strongerRivalPending(index) { outcome = .waiting }
        switch outcome {
        case .waiting: return false
        case .lost: pending.remove(at: index)
        case .won: accept(pending.remove(at: index).state, at: time, onRecognition: onRecognition)
        }
        return true
    }

    /// Whether `process` reports the leading incomplete alignment (`MotifCandidate`).
    public var reportsCandidates = false
    /// Extra cost of a note displaced by an octave (`Settings.octaveDisplacementCost`
    /// unless changed): a reading of the notes that mistakes octaves more often than most
    /// may make it cheaper for its own copy of the matcher.
    public var octaveDisplacementCost: Float
    /// What an inserted piece of a split note costs (`Settings.splitCost`, plus
    /// `splitShareOfLibraryPenalty` of a large library's threshold rise, unless changed):
    /// a reading whose notes are split for reasons of its own may set it for its copy.
    public var splitCost: Float
    /// In a reading of a mix's melody, an inserted note this far (semitones) or more under
    /// both the aligned note before it and the new note is the accompaniment showing
    /// through: it costs `ornamentCost` and is not an edit. 0: off (a single line has no
    /// accompaniment, and a note that low in it is a real extra note).
    public var accompanimentMargin: Float = 0
    /// The latest candidate reported: the same alignment is reported again only when it
    /// has matched more notes.
    private var lastCandidate: (motif: Int32, start: Double, matched: Int16)?

    /// Feeds one note onset; `onRecognition` is called for each motif completed by it, and
    /// `onCandidate` (with `reportsCandidates`) for the motif that leads without being
    /// complete yet.
    public mutating func process(_ onset: NoteOnset, onRecognition: (Recognition) -> Void,
                                 onCandidate: (MotifCandidate) -> Void = { _ in }) {
        // Matchers are values: a copy (the pipeline's second reading) gets its own table
        // at its first note (a fresh one will do: stamps only matter within one note).
        if !isKnownUniquelyReferenced(&slots) { slots = SlotTable(count: slots.count) }
        let current = noteCount % lookback
        noteTimes[current] = onset.start
        notePitches[current] = onset.pitch
        notePossibleRepeat[current] = onset.possibleRepeat
        generation &+= 1
        var column = columns[current]
        columns[current] = []  // keep `column` uniquely referenced: no copy on write
        column.removeAll(keepingCapacity: true)

        for back in 1..<lookback where noteCount - back >= 0 {
            let previous = (noteCount - back) % lookback
            let (skipped, insertionCost) = insertions(after: noteCount - back, before: onset)
            let interval = onset.pitch - notePitches[previous]
            let elapsed = onset.start - noteTimes[previous]
            guard elapsed > 0 else { continue }
            // A short note right before this one may be its own attack, mis-tracked (a
            // subharmonic at a note change): its onset is a second reading of this note's.
            var earlyOnset: Double?
            if back >= 2 {
                let before = noteTimes[(noteCount - 1) % lookback]
                if onset.start - before < settings.ornamentLength { earlyOnset = before }
            }
            // ...and so may a short glitch right before the earlier one (an octave or more
            // off): then that one began there, and the tempo so far and this interval are
            // measured from there too.
            // (`slotBefore`: the note before the earlier one, if the ring still holds it.)
            let slotBefore: Int? = isHeld(noteCount - back - 1) ? (noteCount - back - 1) % lookback : nil
            var previousEarly: Double?
            if let slot = slotBefore {
                if noteTimes[previous] - noteTimes[slot] < settings.ornamentLength
                    && abs(notePitches[slot] - notePitches[previous]) > settings.glitchDistance {
                    previousEarly = noteTimes[slot]
                }
            }
            // In a mix, either note may have begun under the accompaniment heard first.
            if accompanimentMargin > 0 {
                if back >= 2,
                   let masked = maskedOnset(of: noteCount, pitch: onset.pitch, at: onset.start, lookingBack: back - 1) {
                    earlyOnset = masked
                }
                if let masked = maskedOnset(of: noteCount - back, pitch: notePitches[previous], at: noteTimes[previous],
                                            lookingBack: lookback) {
                    previousEarly = masked
                }
            }
            // Extend the live alignments that ended `back` notes ago.
            for state in columns[previous] {
                let count = noteCounts[Int(state.motif)], base = slotBase[Int(state.motif)]
                let from = Int(state.note)
                guard from + 1 < count else { continue }  // already complete
                for to in (from + 1)...min(from + 3, count - 1) {
                    // Two motif notes may be skipped only when both repeat their neighbour
                    // (C C C heard as one long C).
                    if to == from + 3 && !(flatRepeats[base + from + 1] && flatRepeats[base + from + 2]) { continue }
                    extend(state, from: from, to: to, skipped: skipped, insertionCost: insertionCost, elapsed: elapsed,
                           earlyOnset: earlyOnset, previousEarly: previousEarly, onset: onset, into: &column)
                }
            }
            // Start new alignments at the note `back` notes ago, through the interval index.
            // The interval within a semitone, also an octave up or down (a displaced note).
            // (Not across two inserted notes: a motif's very first interval is rarely
            // ornamented. In a mix's melody, two cheap ones, the accompaniment showing
            // through, may come between.)
            guard back < 3 || (back == 3 && accompanimentMargin > 0 && skipped == 0) else { continue }
            // The note `back` notes ago may be the last piece of a split note: the pieces
            // of its pitch right before it.
            var pieceStart = noteTimes[previous]
            var pieces: Int16 = 0
            var earlier = noteCount - back - 1
            while isHeld(earlier) && abs(notePitches[earlier % lookback] - notePitches[previous]) < 0.5 {
                pieceStart = noteTimes[earlier % lookback]
                pieces += 1
                earlier -= 1
            }
            // The note before the one `back` notes ago, if there was one (a possible repeat is
            // only a dip: the note before it goes on): where a motif's opening was missed, it
            // may have been played in its place (`anotherNote(_:opens:...)`).
            var noteBefore: (time: Double, pitch: Float)?
            if let slot = slotBefore, !notePossibleRepeat[slot] { noteBefore = (noteTimes[slot], notePitches[slot]) }
            let key = Self.intervalKey(interval)
            for octave in stride(from: -12, through: 12, by: 12) {
                // Within a semitone in place; an octave away only exactly (a displaced note
                // that is also a semitone out costs more than the alignment can afford).
                for shift in (octave == 0 ? -1 : 0)...(octave == 0 ? 1 : 0) {
                    let neighbour = key + octave + shift
                    guard neighbour >= 0 && neighbour <= 2 * Self.intervalKeyOffset else { continue }
                    // A neighbouring key holds whole-semitone intervals a semitone away: only
                    // an interval heard near that side of its own key comes within the
                    // interval limit of them (`extend` would turn the rest away, after a
                    // walk through half the index).
                    if shift != 0 && abs(interval - Float(neighbour - Self.intervalKeyOffset)) >= settings.intervalLimit {
                        continue
                    }
                    for entry in startIndex[neighbour] {
                        let base = slotBase[Int(entry.motif)]
                        let from = Int(entry.from)
                        var start = State(motif: entry.motif, note: Int32(from), cost: 0,
                                          startTime: noteTimes[previous], startBeat: flatOnsets[base + from],
                                          transpositionSum: notePitches[previous] - flatPitches[base + from],
                                          offset: notePitches[previous] - flatPitches[base + from],
                                          matched: 1, edits: 0, lastTime: noteTimes[previous],
                                          pieceStart: pieceStart, pieces: pieces)
                        if notePossibleRepeat[previous] {
                            // Opened by a possible repeat (only a dip in a note begun before),
                            // it pays what such a note loses anywhere else: half an average
                            // note's credit. Otherwise it reaches the next motif note with as
                            // much evidence as the reading opened at the note's own onset, the
                            // better one (the dip's tempo is wrong), and may take its place.
                            start.cost = settings.evidencePerNote * (1 - settings.possibleRepeatCredit)
                        }
                        if from == 1 {  // the motif's first note was missed
                            start.cost += deletionCost
                            start.edits = 1
                            if let noteBefore {
                                start.openingReplaced = anotherNote(noteBefore, opens: Int(entry.motif),
                                                                    firstTime: noteTimes[previous], secondNote: onset,
                                                                    aligned: Int(entry.to), offset: start.offset)
                            }
                        }
                        extend(start, from: from, to: Int(entry.to), skipped: skipped, insertionCost: insertionCost,
                               elapsed: elapsed, earlyOnset: earlyOnset, onset: onset, into: &column)
                    }
                }
            }
        }
        columns[current] = column
        noteCount += 1
        if reportsCandidates { reportLeader(of: columns[current], at: onset.confirmed, onCandidate) }

        // Decide the waiting recognitions, then the alignments this note completed.
        decideWaiting(after: onset, completed: columns[current], onRecognition: onRecognition)
        considerCompleted(columns[current], by: onset, onRecognition: onRecognition)
    }

    /// What the notes between note `aligned` (counted from the stream's first) and `onset`
    /// cost as insertions, and how many of them are real extra notes (edits). A short one
    /// (an ornament, or a tracker glitch at a note change) is cheap and is not counted
    /// against the edit budget; a longer one is a real extra note.
    @inline(__always)
    private func insertions(after aligned: Int, before onset: NoteOnset) -> (skipped: Int, cost: Float) {
        let previous = aligned % lookback
        var skipped = 0
        var insertionCost: Float = 0
        for between in (aligned + 1)..<noteCount {
            let slot = between % lookback
            let next = between + 1 == noteCount ? onset.start : noteTimes[(between + 1) % lookback]
            let fromAligned = abs(notePitches[slot] - notePitches[previous])
            if fromAligned < 0.5 || abs(fromAligned - 12) < 0.5 {
                // The aligned note heard again (split by a tremolo, a re-bow, or a
                // stretch the tracker took an octave off): not an edit.
                // A possible repeat passed over is the note going on: free.
                insertionCost += notePossibleRepeat[slot] && fromAligned < 0.5 ? 0 : splitCost
            } else if accompanimentMargin > 0
                        && notePitches[slot] <= min(notePitches[previous], onset.pitch) - accompanimentMargin {
                insertionCost += settings.ornamentCost  // the accompaniment showing through
            } else if next - noteTimes[slot] < settings.ornamentLength
                        || (fromAligned > settings.glitchDistance
                            && abs(notePitches[slot] - onset.pitch) > settings.glitchDistance) {
                insertionCost += settings.ornamentCost
            } else {
                insertionCost += settings.insertionCost
                skipped += 1
            }
        }
        return (skipped, insertionCost)
    }

    /// A new note decides the recognitions waiting for one (`completed`: the alignments
    /// that end at it).
    @inline(__always)
    private mutating func decideWaiting(after onset: NoteOnset, completed: [State],
                                        onRecognition: (Recognition) -> Void) {
        var index = 0
        while index < pending.count {
            let waiting = pending[index].state
            if let interrupted = pending[index].interruptedAt {
                if cutsShort(onset, heldPitch: pending[index].heldPitch)
                    || onset.start - interrupted >= settings.ornamentLength {
                    pending.remove(at: index)  // the motif did not end there
                    continue
                }
                pending[index].interruptedAt = nil  // a glitch: the held note goes on
            }
            if let until = pending[index].holdUntil {
                if onset.start < until {
                    // Another pitch: the motif did not end there, unless it is a glitch.
                    if cutsShort(onset, heldPitch: pending[index].heldPitch) { pending[index].interruptedAt = onset.start }
                    index += 1
                    continue
                }
                pending[index].holdUntil = nil  // held long enough: decided like any other
            }
            if pending[index].mergedTail {
                if completed.contains(where: {
                    $0.motif == waiting.motif && $0.startTime == waiting.startTime && $0.note > waiting.note
                }) {
                    pending.remove(at: index)  // the repeat came after all (see `considerCompleted`)
                    continue
                }
                if repeatReplaced(by: onset, in: waiting) {
                    // Another phrase, not the motif; unless the held pitch is back at once
                    // (a glitch at the repeat's attack), as with a hold (`interruptedAt`).
                    pending[index].interruptedAt = onset.start
                    pending[index].heldPitch = heldPitch(of: waiting)
                    index += 1
                    continue
                }
                // Another note came instead, after the merged repeat's time: the motif ended
                // there, as now became clear; from now on it waits only for rivals, like any
                // complete alignment.
                pending[index].mergedTail = false
                pending[index].deadline = deadline(for: waiting) - waiting.lastTime + onset.start
            }
            if !decide(index, at: onset.confirmed, onRecognition: onRecognition) { index += 1 }
        }
    }

    /// The alignments that `onset` completed: recognised now, held back for a rival or for
    /// their last note to sound on, or not enough.
    @inline(__always)
    private mutating func considerCompleted(_ column: [State], by onset: NoteOnset,
                                           onRecognition: (Recognition) -> Void) {
        for state in column
        where Int(state.note) >= closingRepeatStart[Int(state.motif)] && !state.openingReplaced {
            let m = Int(state.motif)
            let missing = noteCounts[m] - 1 - Int(state.note)
            var candidate = state
            candidate.cost += settings.mergedRepeatCost * Float(missing)
            // Checked first without the cohort cost: counting the cohort walks every live
            // alignment, so only alignments that could pass are counted.
            guard evidence(of: candidate) >= settings.acceptEvidence,
                  state.startTime > lastRecognitionEnd[m],
                  !pending.contains(where: { Int($0.state.motif) == m }) else { continue }
            // Much of the library fitting these notes too costs (see `cohortShare`); the
            // cost stays with the alignment, so its contests and confidence see it.
            let cohort = cohortCost(of: state)
            candidate.cost += cohort
            guard evidence(of: candidate) >= settings.acceptEvidence else { continue }
            if missing > 0 {
                // Complete but for closing repeats: wait for the next note to tell.
                pending.append(Pending(state: candidate, deadline: tailDeadline(for: state), mergedTail: true,
                                       cohort: cohort))
                continue
            }
            if evidence(of: candidate) < settings.acceptEvidence + settings.holdMargin {
                // Only just enough: the last note must sound on (see `holdMargin`).
                let hold = min(settings.holdMaximum, settings.holdShare * expectedLength(ofLastNoteOf: state))
                let until = state.lastTime + hold
                pending.append(Pending(state: candidate,
                                       deadline: max(deadline(for: candidate), until + settings.holdConfirmation),
                                       holdUntil: until, heldPitch: onset.pitch, cohort: cohort))
                continue
            }
            var rivalsDue = Double.infinity
            switch contest(candidate, cohort: cohort, at: onset.confirmed, rivalsDue: &rivalsDue) {
            case .won: accept(candidate, at: onset.confirmed, onRecognition: onRecognition)
            case .waiting:
                pending.append(Pending(state: candidate, deadline: deadline(for: candidate), cohort: cohort,
                                       rivalsDue: rivalsDue))
            case .lost: break
            }
        }
    }

    /// Reports the incomplete alignment that leads after a note, if it has matched at least
    /// half its motif (and three notes), could still reach the threshold, and matches
    /// `candidateMargin` better than the same share of the threshold asks.
    private mutating func reportLeader(of column: [State], at time: Double, _ onCandidate: (MotifCandidate) -> Void) {
        var leader: State?
        var leaderMargin = settings.candidateMargin
        for state in column {
            let m = Int(state.motif), count = noteCounts[m], j = Int(state.note)
            guard j < count - 1, !state.openingReplaced, Int(state.matched) >= max(3, (count + 1) / 2),
                  state.startTime > lastRecognitionEnd[m] else { continue }
            let after = flatCreditsAfter[slotBase[m] + j]
            guard evidence(of: state) + settings.evidencePerNote * after >= settings.acceptEvidence else { continue }
            let share = state.credit / (state.credit + after)
            let margin = settings.evidencePerNote * state.credit - state.cost - (settings.acceptEvidence + libraryPenalty) * share
            if margin >= leaderMargin { leader = state; leaderMargin = margin }
        }
        guard let leader else { return }
        if let last = lastCandidate, last.motif == leader.motif, last.start == leader.startTime,
           last.matched >= leader.matched { return }
        lastCandidate = (leader.motif, leader.startTime, leader.matched)
        let (transposition, bpm) = keyAndTempo(of: leader)
        onCandidate(MotifCandidate(motifID: motifs[Int(leader.motif)].id, start: leader.startTime, emitted: time,
                                   confidence: confidence(margin: leaderMargin - settings.candidateMargin),
                                   matchedNotes: Int(leader.matched),
                                   motifNotes: noteCounts[Int(leader.motif)], transposition: transposition, bpm: bpm))
    }

    /// Whether `note`, heard right before an alignment's first note (at motif note 1, heard
    /// at `firstTime`), began where the motif's opening note would, at the tempo of the
    /// alignment's first interval (up to `secondNote`, at motif note `aligned`), and is not
    /// that note (an interval limit or more off, also modulo an octave). A missed note is a
    /// note not heard: an attack the tracker lost, a repeat merged into its twin. Another
    /// note played in its place is a substitution, and a tune's phrases often share all but
    /// their openings: so much of the music that is not the motif continues as it does.
    @inline(__always)
    private func anotherNote(_ note: (time: Double, pitch: Float), opens motif: Int, firstTime: Double,
                             secondNote: NoteOnset, aligned: Int, offset: Float) -> Bool {
        let base = slotBase[motif]
        guard Self.offOctaves(note.pitch - flatPitches[base] - offset) >= settings.intervalLimit else { return false }
        let secondsPerBeat = (secondNote.start - firstTime) / Double(flatOnsets[base + aligned] - flatOnsets[base + 1])
        let openingLength = Double(flatOnsets[base + 1] - flatOnsets[base]) * secondsPerBeat
        let lateness = abs(note.time - (firstTime - openingLength))
        return lateness <= freeRhythmError(openingLength)
    }

    /// How far (s) an onset interval expected to last `interval` may be off for free: rubato
    /// and jitter (`rhythmTolerance`, `rhythmJitter`; the unit of `extend`'s rhythm check).
    @inline(__always)
    private func freeRhythmError(_ interval: Double) -> Double {
        Double(settings.rhythmTolerance) * interval + Double(settings.rhythmJitter)
    }

    /// How far (semitones) a pitch error lies from the nearest whole number of octaves: 0
    /// for a note right but for its octave. (It runs for every candidate: the nearest
    /// octave by truncation, with neither a libm call nor a branch.)
    @inline(__always)
    private static func offOctaves(_ error: Float) -> Float {
        abs(error - 12 * Float(Int(error / 12 + (error < 0 ? -0.5 : 0.5))))
    }

    /// What completing `state` costs for the crowd of other motifs' live alignments over its
    /// notes (see `cohortShare`): 0 while they are few.
    private func cohortCost(of state: State) -> Float {
        var cohort = 1  // the alignment itself
        for column in columns {
            for rival in column where rival.motif != state.motif && Int(rival.matched) >= settings.cohortMinimumMatched
                && rival.startTime < state.lastTime && state.startTime < rival.lastTime {
                cohort += 1
            }
        }
        let crowd = max(settings.cohortShare * Float(motifs.count), settings.smallestCohort)
        return settings.evidencePerCohortDecade * max(0, log10(Float(cohort) / crowd))
    }

    /// Where note `index` (at `pitch`, heard from `time`) may have begun in a mix: a chord
    /// tone plucked with it at the melody's level is heard first, and the melody note only
    /// as that fades. The earliest onset of the notes right before it (at most `limit`)
    /// that all lie `accompanimentMargin` or more under it, within `maskedOnsetReach`;
    /// nil if the note before it is no such note. (Under a guitar arpeggio at the
    /// melody's level, the reading heard 43 % of a violin's notes and 29 % of a flute's
    /// 80 ms or more late, over 24 generated sets.)
    private func maskedOnset(of index: Int, pitch: Float, at time: Double, lookingBack limit: Int) -> Double? {
        var earliest: Double?
        var earlier = index - 1
        while earlier >= index - limit && isHeld(earlier) {
            let slot = earlier % lookback
            guard notePitches[slot] <= pitch - accompanimentMargin,
                  time - noteTimes[slot] <= settings.maskedOnsetReach else { break }
            earliest = noteTimes[slot]
            earlier -= 1
        }
        return earliest
    }

    /// Whether note `index` (counted from the stream's first) is still in the ring of
    /// the last `lookback` notes, the one being processed included.
    private func isHeld(_ index: Int) -> Bool { index >= 0 && index > noteCount - lookback }

    /// How long an alignment missing its closing repeats waits for them: a little past
    /// where the tempo so far expects the next one.
    private func tailDeadline(for state: State) -> Double {
        let base = slotBase[Int(state.motif)], j = Int(state.note)
        let expected = Double(flatOnsets[base + j + 1] - flatOnsets[base + j]) * (secondsPerBeat(of: state) ?? 0.5)
        return state.lastTime + min(settings.maximumWait, 1.5 * expected + 0.1)
    }

    /// The tempo of an alignment so far, from its first note to its latest (nil before its
    /// second).
    private func secondsPerBeat(of state: State) -> Double? {
        let beats = flatOnsets[slotBase[Int(state.motif)] + Int(state.note)] - state.startBeat
        let seconds = state.lastTime - state.startTime
        return beats > 0 && seconds > 0 ? seconds / Double(beats) : nil
    }

    /// Notated length (s) of the last note of complete alignment `state`, at its tempo.
    private func expectedLength(ofLastNoteOf state: State) -> Double {
        (secondsPerBeat(of: state) ?? 0) * Double(motifs[Int(state.motif)].lastNoteBeats)
    }

    /// Whether `onset`, another pitch than the held last note of `state` (complete but for
    /// its closing repeats), began before the first missing repeat was due, or within the
    /// free rhythm error after: then no repeat was merged into the held note (that note
    /// would have sounded on through the repeat's length); another note was played in the
    /// repeat's place. The closing counterpart of `anotherNote(_:opens:...)`: a phrase of
    /// other music that shares all of a motif but its closing repeat went on differently.
    /// The held pitch back within `ornamentLength` makes that note a glitch (see
    /// `decideWaiting`). (Over 24 generated sets: 3 fewer false positives with 60 motifs and
    /// 5 fewer with 2,060; no occurrence lost. Without the glitch rule it lost one in three
    /// fresh sets: a clarinet over chords whose repeat YIN read as a bass note, then an
    /// octave low.)
    private func repeatReplaced(by onset: NoteOnset, in state: State) -> Bool {
        let base = slotBase[Int(state.motif)], j = Int(state.note)
        guard let secondsPerBeat = secondsPerBeat(of: state),
              cutsShort(onset, heldPitch: heldPitch(of: state)) else { return false }
        let interval = Double(flatOnsets[base + j + 1] - flatOnsets[base + j]) * secondsPerBeat
        return onset.start - state.lastTime < interval + freeRhythmError(interval)
    }

    /// The stream pitch of the last note `state` matched.
    private func heldPitch(of state: State) -> Float {
        flatPitches[slotBase[Int(state.motif)] + Int(state.note)] + state.offset
    }

    /// Whether a new note ends a held note: another pitch, not the held note again (a
    /// re-bow, a split), nor an octave slip of the tracker, nor, in a reading of a mix's
    /// melody, the accompaniment showing through under it.
    private func cutsShort(_ onset: NoteOnset, heldPitch: Float) -> Bool {
        let distance = abs(onset.pitch - heldPitch)
        if distance < 0.5 || abs(distance - 12) < 0.5 { return false }
        return !(accompanimentMargin > 0 && onset.pitch <= heldPitch - accompanimentMargin)
    }

    /// Whether a complete alignment beats every other live alignment over the same notes, at
    /// `time`. `rivalsDue`: if it waits, the time by which all the rivals it waits for must
    /// have gone on (the latest of their next notes' `nextNoteDue(after:)`).
    private func contest(_ candidate: State, cohort: Float, at time: Double, rivalsDue: inout Double) -> Contest {
        if outshoneByRecent(candidate) { return .lost }
        // Live rivals have not paid the crowd of their notes: neither does the candidate
        // when it is measured against them.
        let strengthAmongRivals = evidence(of: candidate) + cohort
        var outcome = Contest.won
        rivalsDue = -Double.infinity
        for column in columns {
            for rival in column where rival.motif != candidate.motif {
                // Overlapping the candidate's notes, and about as convincing.
                guard rival.startTime < candidate.lastTime, candidate.startTime < rival.lastTime,
                      Int(rival.matched) >= Int(candidate.matched) - 1 else { continue }
                let rivalStrength = evidence(of: rival)
                guard rivalStrength >= strengthAmongRivals - settings.rivalMargin else { continue }
                let complete = Int(rival.note) == noteCounts[Int(rival.motif)] - 1
                if complete {
                    if rivalStrength > strengthAmongRivals { return .lost }
                } else if rival.lastTime >= candidate.lastTime
                            || onlyRepeatsOfLastNote(of: rival, through: candidate.lastTime) {
                    // It may still complete (it has gone on as far, or holds the note the
                    // candidate took for repeats): wait for its next note, while that may come.
                    let due = nextNoteDue(after: rival) ?? .infinity
                    if time <= due {
                        outcome = .waiting
                        rivalsDue = max(rivalsDue, due)
                    }
                }
            }
        }
        return outcome
    }

    /// Whether every note heard after `rival`'s last matched note, through `time`, repeats
    /// that note's pitch (pieces of it, or dips in it): the rival holds on where the
    /// candidate took the same sound for its closing repeats, so it is abreast of it. (A
    /// motif ending on a repeated note fired with the longer one holding that note. Over
    /// 24 generated sets: 1 false positive fewer with 60 motifs, 2 with 2,060; none lost.)
    private func onlyRepeatsOfLastNote(of rival: State, through time: Double) -> Bool {
        let pitch = heldPitch(of: rival)
        var index = noteCount - 1
        while isHeld(index) {
            let slot = index % lookback
            if noteTimes[slot] <= rival.lastTime { return true }
            if noteTimes[slot] <= time && abs(notePitches[slot] - pitch) >= 0.5 { return false }
            index -= 1
        }
        return false  // the ring does not reach back to the rival's last note
    }

    /// Whether a recognition just made over most of `candidate`'s notes was as convincing,
    /// or nearly: those notes have been reported.
    private func outshoneByRecent(_ candidate: State) -> Bool {
        let strength = evidence(of: candidate)
        let span = candidate.lastTime - candidate.startTime
        for earlier in recent {
            let overlap = min(earlier.last, candidate.lastTime) - max(earlier.start, candidate.startTime)
            if overlap > 0.5 * span && strength <= earlier.strength + settings.rivalMargin { return true }
        }
        return false
    }

    /// Whether another motif's complete alignment over the same notes, more convincing, is
    /// waiting too (a motif that ends on a repeat of its last note waits for it: the same
    /// notes but for that repeat may be a shorter motif, complete and stronger). The
    /// stronger is decided first; the weaker then loses to it (`outshoneByRecent`) or, if
    /// it came to nothing, goes on.
    private func strongerRivalPending(_ index: Int) -> Bool {
        let candidate = pending[index].state
        let strength = evidence(of: candidate)
        for (other, entry) in pending.enumerated() where other != index && entry.state.motif != candidate.motif {
            let rival = entry.state
            if rival.startTime < candidate.lastTime && candidate.startTime < rival.lastTime
                && evidence(of: rival) > strength { return true }
        }
        return false
    }

    /// Whether a waiting recognition has waited long enough: past its deadline, unless an
    /// alignment of another motif over the same notes, already more convincing, is still
    /// going on past it (a longer motif is being played: its next notes decide), and then
    /// at most `maximumWait` after its last note.
    private func waitedEnough(_ entry: Pending, at time: Double) -> Bool {
        guard time >= entry.deadline else { return false }
        return time >= entry.state.lastTime + settings.maximumWait
            || !strongerRivalAlive(entry.state, cohort: entry.cohort)
    }

    /// Whether an alignment of another motif over the same notes, not complete yet, is
    /// already more convincing than `candidate` and has gone on past it.
    private func strongerRivalAlive(_ candidate: State, cohort: Float) -> Bool {
        let strength = evidence(of: candidate) + cohort  // as in `contest`
        for column in columns {
            for rival in column where rival.motif != candidate.motif
                && rival.lastTime > candidate.lastTime && rival.startTime < candidate.lastTime
                && Int(rival.note) < noteCounts[Int(rival.motif)] - 1 && evidence(of: rival) > strength {
                return true
            }
        }
        return false
    }

    /// When the next note of incomplete alignment `state` is due, confirmed, at the latest:
    /// its onset interval at the alignment's tempo, as late as rubato and jitter let it come
    /// for free (`rhythmTolerance`, `rhythmJitter`), plus `holdConfirmation`. Repeated notes
    /// next may come merged into the one before them: then the note after them. Nil while
    /// the tempo is not known.
    ///
    /// A complete alignment waits for such a rival only until then (`contest`): a note heard
    /// later that did not extend it decides, and so does a pause once it is due
    /// (`Pending.rivalsDue`). (Waiting on to the deadline instead, over 24 generated sets
    /// with 2,060 motifs, made 92 recognitions 0.02 to 0.77 s later, 0.29 s in the median,
    /// and changed none; the 90th percentile of latency reached 0.46 s in a set, now 0.34 s.
    /// With 60 motifs, 2 were later.)
    private func nextNoteDue(after state: State) -> Double? {
        guard let secondsPerBeat = secondsPerBeat(of: state) else { return nil }
        let base = slotBase[Int(state.motif)], j = Int(state.note)
        var next = j + 1
        while next < min(j + 3, noteCounts[Int(state.motif)] - 1) && flatRepeats[base + next] { next += 1 }
        let interval = Double(flatOnsets[base + next] - flatOnsets[base + j]) * secondsPerBeat
        return state.lastTime + interval + freeRhythmError(interval) + settings.holdConfirmation
    }

    /// How long a complete alignment may wait for a rival: about two of its notes, within
    /// `maximumWait`.
    private func deadline(for state: State) -> Double {
        let meanInterval = (state.lastTime - state.startTime) / Double(max(1, state.matched - 1))
        return state.lastTime + min(settings.maximumWait, max(0.6, 2 * meanInterval))
    }

    private mutating func accept(_ state: State, at time: Double, onRecognition: (Recognition) -> Void) {
        let m = Int(state.motif)
        guard state.startTime > lastRecognitionEnd[m] else { return }
        lastRecognitionEnd[m] = state.lastTime
        if recent.count >= 8 { recent.removeFirst() }
        recent.append((state.startTime, state.lastTime, evidence(of: state)))
        onRecognition(recognition(for: state, emitted: time))
    }

    private func recognition(for state: State, emitted: Double) -> Recognition {
        let (transposition, bpm) = keyAndTempo(of: state)
        return Recognition(motifID: motifs[Int(state.motif)].id, start: state.startTime,
                           end: emitted, emitted: emitted,
                           confidence: confidence(margin: evidence(of: state) - settings.acceptEvidence),
                           transposition: transposition, bpm: bpm, matchedNotes: Int(state.matched))
    }

    /// Transposition (semitones, mean over the matched notes) and tempo of an alignment.
    private func keyAndTempo(of state: State) -> (transposition: Int, bpm: Double) {
        let bpm = secondsPerBeat(of: state).map { 60 / $0 } ?? 0
        return (Int((state.transpositionSum / Float(state.matched)).rounded()), bpm)
    }

    /// Logistic map from evidence over the threshold to confidence.
    private func confidence(margin: Float) -> Double {
        min(1, max(0, 1 / (1 + exp(-Double(settings.confidenceSlope * margin)))))
    }

    /// Evidence of an alignment, relative to the acceptance threshold for this library.
    private func evidence(of state: State) -> Float {
        settings.evidencePerNote * state.credit - state.cost - libraryPenalty
    }

    /// Scores aligning motif note `to` with the new note, after `from` aligned `skipped + 1`
    /// notes earlier, and keeps the result if it is the best for (motif, to) so far.
    @inline(__always)
    private mutating func extend(_ state: State, from: Int, to: Int, skipped: Int, insertionCost: Float,
                                 elapsed: Double, earlyOnset: Double? = nil, previousEarly: Double? = nil,
                                 onset: NoteOnset, into column: inout [State]) {
        let base = slotBase[Int(state.motif)]
        // A repeated note merged into its twin (no audible re-attack) is the commonest
        // segmentation miss; it costs, but does not use up the edit budget.
        var deleted = 0
        for missing in (from + 1)..<to where !flatRepeats[base + missing] { deleted += 1 }
        let edits = Int(state.edits) + skipped + deleted
        guard edits <= settings.maximumEdits else { return }

        // Pitch: the interval from the latest rightly pitched note must match, or match
        // modulo an octave at a price.
        let error = onset.pitch - flatPitches[base + to] - state.offset
        let displaced = abs(error) >= 1.5
        var pitchError = displaced ? Self.offOctaves(error) : abs(error)
        guard pitchError < settings.intervalLimit else { return }
        if displaced { pitchError += octaveDisplacementCost }
        var cost = state.cost + settings.intervalWeight * max(0, pitchError - settings.intervalTolerance)

        // Rhythm: the onset interval against the tempo so far.
        let beats = flatOnsets[base + to] - flatOnsets[base + from]
        let secondsPerBeat = Float(elapsed) / beats
        let bpm = 60 / secondsPerBeat
        guard bpm >= settings.minimumBPM && bpm <= settings.maximumBPM else { return }
        // Tempo so far: from the alignment's first note to its latest one.
        let soFarBeats = flatOnsets[base + from] - state.startBeat
        var startTime = state.startTime
        if soFarBeats > 0 {
            let previousTime = onset.start - elapsed
            // Units of rhythm error of this interval, from `start` over the previous note
            // (taken to begin at `previous`).
            func rhythmUnits(from start: Double, previous: Double) -> Float {
                let soFarSeconds = Float(previous - start)
                guard soFarSeconds > 0 else { return .infinity }
                let expected = beats * soFarSeconds / soFarBeats
                var error = abs(Float(onset.start - previous) - expected)
                if let earlyOnset { error = min(error, abs(Float(earlyOnset - previous) - expected)) }
                return error / (settings.rhythmTolerance * expected + settings.rhythmJitter)
            }
            func rhythmUnits(from start: Double) -> Float {
                let units = rhythmUnits(from: start, previous: previousTime)
                guard let previousEarly, previousEarly > start else { return units }
                return min(units, rhythmUnits(from: start, previous: previousEarly))
            }
            var units = rhythmUnits(from: startTime)
            var rhythmCost = settings.rhythmWeight * max(0, units - 1)
            if state.pieces > 0 {
                // The first rhythm check tells whether the opening note began at its
                // first piece.
                let pieceUnits = rhythmUnits(from: state.pieceStart)
                let pieceCost = settings.rhythmWeight * max(0, pieceUnits - 1) + splitCost * Float(state.pieces)
                if pieceUnits <= settings.rhythmLimit && (units > settings.rhythmLimit || pieceCost < rhythmCost) {
                    units = pieceUnits
                    rhythmCost = pieceCost
                    startTime = state.pieceStart
                }
            }
            guard units <= settings.rhythmLimit else { return }
            cost += rhythmCost
        }
        cost += insertionCost
        // One tempo for the whole motif: the range that fits every onset interval so far,
        // and at the last note, whether the motif's overall tempo lies within it.
        let jitter = settings.rhythmJitter, tolerance = settings.tempoFitTolerance
        let fastestFit = max(state.fastestFit, (Float(elapsed) - jitter) / ((1 + tolerance) * beats))
        let slowestFit = min(state.slowestFit, (Float(elapsed) + jitter) / ((1 - tolerance) * beats))
        if to == noteCounts[Int(state.motif)] - 1 {
            let overall = Float(onset.start - startTime) / (flatOnsets[base + to] - state.startBeat)
            if overall < fastestFit || overall > slowestFit { cost += tempoMisfitCost }
        }
        for missing in (from + 1)..<to {
            if flatRepeats[base + missing] {
                cost += settings.mergedRepeatCost
            } else {
                let length = (flatOnsets[base + missing + 1] - flatOnsets[base + missing]) * secondsPerBeat
                cost += length < settings.quickNoteLength ? settings.deletionCost : deletionCost
            }
        }
        guard cost <= settings.pruneCost else { return }
        // Hopeless: see `reachableFloor`.
        let best = settings.evidencePerNote * (state.credit + flatCredits[base + to] + flatCreditsAfter[base + to]) - cost
        guard best >= reachableFloor else { return }

        var next = state
        next.note = Int32(to)
        next.startTime = startTime
        if soFarBeats > 0 { next.pieces = 0 }  // the first rhythm check has decided
        next.cost = cost
        next.fastestFit = fastestFit
        next.slowestFit = slowestFit
        next.lastTime = onset.start
        next.edits = Int16(edits)
        next.matched += 1
        next.credit += flatCredits[base + to] * (onset.possibleRepeat ? settings.possibleRepeatCredit : 1)
        if !displaced { next.offset = onset.pitch - flatPitches[base + to] }
        next.transpositionSum += next.offset
        let slot = base + to
        if slots.generation[slot] == generation {
            // Two alignments at the same motif note have the same notes still to come: the
            // one with more evidence so far is the better. (Comparing costs alone let a
            // reading that merged the opening repeat, cheaper but a note shorter, take the
            // place of the whole motif heard, and then fail on its wrong tempo.)
            let position = Int(slots.position[slot])
            if evidence(of: next) > evidence(of: column[position]) { column[position] = next }
        } else {
            slots.generation[slot] = generation
            slots.position[slot] = Int32(column.count)
            column.append(next)
        }
    }
}
