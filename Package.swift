// swift-tools-version:6.0
// motifd: a real-time leitmotif listener.
//
// Layers, from the edges inwards:
//   motifd / motifctl      executables (argument parsing, wiring)
//   MotifDaemon            offline analysis runner, later the socket server and systemd glue
//   MotifAudio             audio files (libsndfile), resampling (libsoxr), capture (PortAudio)
//   MotifConfig            motif library and daemon configuration files (TOML)
//   MotifCore              pure Swift DSP and matching: no I/O, only the FFT library below it
//   C*                     system libraries (module maps; pkg-config where it is clean)
import PackageDescription

let package = Package(
    name: "motifd",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "motifd", targets: ["motifd"]),
        .executable(name: "motifctl", targets: ["motifctl"]),
        .library(name: "MotifCore", targets: ["MotifCore"]),
        .library(name: "MotifAudio", targets: ["MotifAudio"]),
        .library(name: "MotifConfig", targets: ["MotifConfig"]),
        .library(name: "MotifDaemon", targets: ["MotifDaemon"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
        .package(url: "https://github.com/google/swift-benchmark", from: "0.1.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
    ],
    targets: [
        // KissFFT and PortAudio are found without pkg-config: their .pc files carry flags
        // SwiftPM refuses (-D..., -pthread) and warns about on every build, and neither is
        // needed (float is KissFFT's default scalar; glibc has threads built in).
        .systemLibrary(name: "CKissFFT", providers: [.apt(["libkissfft-dev"])]),
        .systemLibrary(name: "CSndFile", pkgConfig: "sndfile", providers: [.apt(["libsndfile1-dev"])]),
        .systemLibrary(name: "CSoxr", pkgConfig: "soxr", providers: [.apt(["libsoxr-dev"])]),
        .systemLibrary(name: "CPortAudio", providers: [.apt(["portaudio19-dev"])]),

        .target(name: "MotifCore", dependencies: ["CKissFFT"]),
        .target(
            name: "MotifConfig",
            dependencies: ["MotifCore", .product(name: "TOMLKit", package: "TOMLKit")]
        ),
        .target(name: "CALSAQuiet", linkerSettings: [.linkedLibrary("asound")]),
        .target(name: "MotifAudio", dependencies: ["MotifCore", "CSndFile", "CSoxr", "CPortAudio", "CALSAQuiet"]),
        .target(
            name: "MotifDaemon",
            dependencies: [
                "MotifCore", "MotifConfig", "MotifAudio",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            // NIO's channel handlers predate strict concurrency checking; the threads here
            // are explicit (capture, consumer, event loops) and documented per type.
            swiftSettings: [.swiftLanguageMode(.v5)]
        ),
        .executableTarget(
            name: "motifd",
            dependencies: [
                "MotifDaemon", "MotifConfig", "MotifAudio", "MotifCore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: [.swiftLanguageMode(.v5)]
        ),
        .executableTarget(
            name: "motifctl",
            dependencies: [.product(name: "ArgumentParser", package: "swift-argument-parser")],
            swiftSettings: [.swiftLanguageMode(.v5)]
        ),

        // Speed of the hot paths: swift run -c release MotifBenchmarks (see README).
        .executableTarget(
            name: "MotifBenchmarks",
            dependencies: ["MotifCore", "MotifAudio", .product(name: "Benchmark", package: "swift-benchmark")],
            path: "Benchmarks/MotifBenchmarks",
            swiftSettings: [.swiftLanguageMode(.v5)]
        ),
        // The matcher alone over the notes of a data set's MIDI truth (see its header).
        .executableTarget(
            name: "MatcherCeiling",
            dependencies: ["MotifCore", "MotifConfig"],
            path: "Benchmarks/MatcherCeiling"
        ),

        // Test-only: counts the heap allocations of a thread (proves the per-frame DSP
        // allocates nothing).
        .target(name: "CAllocationCounter", path: "Tests/CAllocationCounter"),
        .testTarget(name: "MotifCoreTests", dependencies: ["MotifCore", "CAllocationCounter"]),
        .testTarget(name: "MotifConfigTests", dependencies: ["MotifConfig", "MotifCore"]),
        // Test-only helpers shared by the test targets.
        .target(name: "MotifTestSupport", dependencies: ["MotifAudio"], path: "Tests/MotifTestSupport"),
        .testTarget(name: "MotifAudioTests", dependencies: ["MotifAudio", "MotifCore", "MotifTestSupport"]),
        .testTarget(
            name: "MotifdEndToEndTests",
            dependencies: ["MotifDaemon", "MotifAudio", "MotifCore", "MotifConfig", "MotifTestSupport"],
            swiftSettings: [.swiftLanguageMode(.v5)]
        ),
    ]
)
