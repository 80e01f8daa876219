using System.Runtime.CompilerServices;

// The reporting tests check internal steps (t-SNE perplexity calibration, grid row choice) directly.
[assembly: InternalsVisibleTo("ProtoCL.Tests")]
