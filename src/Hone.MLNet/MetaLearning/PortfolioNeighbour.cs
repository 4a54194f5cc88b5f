namespace Hone.MLNet.MetaLearning;

/// <summary>An earlier dataset and its distance to a new one (see <see cref="Portfolio.Distance"/>).</summary>
/// <param name="Dataset">The earlier dataset's name.</param>
/// <param name="Distance">Its distance in standardized meta-features: 0 for identical meta-features.</param>
/// <param name="Studies">The studies that tuned it.</param>
public sealed record PortfolioNeighbour(string Dataset, double Distance, IReadOnlyList<string> Studies);
