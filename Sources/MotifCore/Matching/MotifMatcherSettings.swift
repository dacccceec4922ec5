/// What the matcher tolerates, what it charges, and what it takes for a recognition.
/// The costs are in units of evidence (see `evidencePerNote`).
extension MotifMatcher {
    public struct Settings: Sendable {
        /// Semitones of interval error tolerated for free (intonation, tracker error).
        public var intervalTolerance: Float = 0.35
        public var intervalWeight: Float = 1.5
        /// An interval off by this much or more (semitones; in place or an octave away) is
        /// another note, not intonation: the alignment cannot take it. (Three quarters of a
        /// semitone: a performance's intonation and the tracker's error stay well within it
        /// on every set measured, while filler music a semitone away from a motif was
        /// taken for it.)
        public var intervalLimit: Float = 0.75
        /// Extra cost of an interval that is right only modulo an octave (displaced note).
        public var octaveDisplacementCost: Float = 0.7
        /// An onset interval may differ from what the tempo so far predicts by this
        /// fraction (rubato) plus `rhythmJitter` seconds (onset detection, slow attacks)
        /// for free; each further such unit of error costs `rhythmWeight`.
        public var rhythmTolerance: Float = 0.12
        public var rhythmJitter: Float = 0.04
        public var rhythmWeight: Float = 0.45
        /// Beyond this many units an onset interval cannot belong to the motif.
        public var rhythmLimit: Float = 4
        /// That check follows the tempo so far, which may drift note by note; an occurrence
        /// is played at one tempo, though, with each onset interval within rubato of it. In
        /// a large library a complete alignment pays this share of the threshold's rise
        /// unless one tempo fits all its onset intervals within `tempoFitTolerance` (twice
        /// the rubato of a performance) plus `rhythmJitter` seconds: there, another phrase
        /// on one of the motifs' pitches with an interval or two stretched beyond rubato
        /// too often completes a chance match. (Over 24 generated sets with 2,060 motifs:
        /// 33 fewer false positives, 10 occurrences fewer found. With 60 motifs there is
        /// no rise, and so no cost.)
        public var tempoFitTolerance: Float = 0.2
        public var tempoFitShareOfLibraryPenalty: Float = 0.45
        public var insertionCost: Float = 0.45
        /// Inserted notes shorter than this (s, onset to next onset) are ornaments or
        /// glitches: they cost `ornamentCost` and do not count as edits. (Little: a grace
        /// note on every other note, or an accompaniment read into the line, puts one
        /// between many notes of a true occurrence.)
        public var ornamentLength: Double = 0.16
        public var ornamentCost: Float = 0.05
        /// ...and so are inserted notes further than this (semitones) from both neighbours:
        /// no ornament leaps an octave away and back; a tracker's subharmonic does.
        public var glitchDistance: Float = 12.5
        /// In a reading of a mix's melody (`MotifMatcher.accompanimentMargin`), how much
        /// earlier (s) a note may have begun than the reading heard it: a chord tone
        /// plucked with it at its level hides its attack until the chord tone fades.
        public var maskedOnsetReach: Double = 0.3
        /// An inserted note at the pitch of the aligned note before it (one note split in
        /// two by the segmenter) costs this and is not counted as an edit either...
        public var splitCost: Float = 0.05
        /// ...plus this share of the threshold's rise in a large library, where other
        /// music's repeated notes, taken for splits, too often complete a chance match.
        public var splitShareOfLibraryPenalty: Float = 0.2
        /// A motif note missing from the performance. In a large library it costs the
        /// threshold's rise (`evidencePerDecade`) on top: there, one motif short of a note
        /// is all too often the whole of another.
        public var deletionCost: Float = 0.7
        /// ...except a note this short (s, at the alignment's tempo), which costs
        /// `deletionCost` alone: the segmenter needs 60 ms of a pitch to confirm a note,
        /// so a quick passing note under a slow attack or a slur is often lost, and its
        /// absence says little about which motif is playing. (Over 24 generated sets with
        /// 2,060 motifs: 3 more occurrences found, 3 fewer false positives.)
        public var quickNoteLength: Float = 0.2
        public var mergedRepeatCost: Float = 0.35
        /// A possible repeat (`NoteOnset.possibleRepeat`, only a dip of the level) taken as
        /// a motif note earns this share of its credit; passed over, it costs nothing.
        public var possibleRepeatCredit: Float = 0.5
        public var maximumEdits = 2
        /// A complete alignment is a recognition when its evidence, `evidencePerNote` for
        /// each matched note after the first (weighted by how much that note says, see
        /// `NoteInformation`) minus its cost, reaches `acceptEvidence`: a long motif matched
        /// with a few flaws is more certain than a short one matched with as many, which
        /// chance produces far more often.
        public var evidencePerNote: Float = 0.35
        /// Share of a note's credit that is the same for every note; the rest follows the
        /// note's information.
        public var uniformCredit: Float = 0.5
        public var acceptEvidence: Float = 0.75
        /// The more motifs, the more chance matches: the threshold rises by this much per
        /// tenfold growth of the library beyond `referenceLibrarySize`.
        public var evidencePerDecade: Float = 0.35
        public var referenceLibrarySize = 60
        /// Cohort normalisation (as keyword spotters weigh a score against its competitors):
        /// where much of the library fits the notes just heard in part (a scale, an arpeggio,
        /// a figure of repeated notes), one motif completing there by chance is likely. When
        /// the live alignments of other motifs over a complete one's notes, each with at
        /// least `cohortMinimumMatched` notes matched, outnumber this share of the library
        /// (and `smallestCohort`: in a handful of motifs a rival or two is no crowd), the
        /// complete one pays `evidencePerCohortDecade` for each tenfold beyond.
        public var cohortShare: Float = 0.16
        public var smallestCohort: Float = 10
        public var evidencePerCohortDecade: Float = 0.4
        public var cohortMinimumMatched = 3
        /// A candidate (`MotifCandidate`) matches its notes so far by this much better than
        /// the same share of the threshold asks before it is reported, at confidence 0.5.
        /// (Over five generated sets, partial matches closer to the pro-rata threshold were
        /// some other music more often than not; at this margin about half are the motif,
        /// 0.4 beyond it about nine in ten.)
        public var candidateMargin: Float = 0.6
        /// Slope of the logistic map from evidence to confidence (0.5 at `acceptEvidence`).
        public var confidenceSlope: Float = 3
        /// A rival alignment over the same notes whose evidence is within this margin of a
        /// complete one makes it wait for the next note...
        public var rivalMargin: Float = 0.35
        /// ...but never longer than this after its last note (s). (It waits about two
        /// notes; this long only while a more convincing rival is still going on.)
        public var maximumWait: Double = 1.3
        /// A complete alignment whose evidence is short of `acceptEvidence + holdMargin` is a
        /// recognition only once its last note has sounded for `holdShare` of its notated
        /// length (at the alignment's tempo; at most `holdMaximum` seconds) with no other
        /// pitch begun: a motif's closing note ends a phrase and sounds on, while a chance
        /// match inside other music runs on into that music's next note. (Over 13 generated
        /// sets, the next note came before 0.6 of the notated length after 3 % of the
        /// recognised occurrences outside the accompanied scenes, and after a third of the
        /// false positives. With 2,060 motifs the hold takes false positives from 84 to 74
        /// and loses no true one. Without the 0.25 s bound it took them to 68, but the
        /// 90th percentile of latency went over 0.4 s in 3 of the 13 sets.)
        public var holdMargin: Float = 0.15
        public var holdShare: Double = 0.6
        public var holdMaximum: Double = 0.25
        /// A note is reported a little after its onset (the segmenter confirms it first): a
        /// hold is over this long (s) after its end, when a note begun before it is known.
        public var holdConfirmation: Double = 0.07
        /// Partial alignments costlier than this are dropped.
        public var pruneCost: Float = 1.6
        /// Plausible performed tempo range (quarter beats per minute).
        /// (Wide: notations differ in what they call a beat.)
        public var minimumBPM: Float = 10
        public var maximumBPM: Float = 2_000

        public init() {}
    }
}
