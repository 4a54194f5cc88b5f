namespace Hone.Distributions;

/// <summary>
/// A categorical choice reduced to what <see cref="DistributionValues.ChoiceEquals"/> compares: numbers by their
/// value as a double (whatever their .NET type), strings ordinally, booleans and null as themselves. Equal keys
/// mean equal choices, so choices can be hashed instead of compared pairwise.
/// </summary>
internal readonly struct ChoiceKey : IEquatable<ChoiceKey>
{
    private readonly ChoiceKind _kind;
    private readonly double _number;
    private readonly string? _text;

    private ChoiceKey(ChoiceKind kind, double number, string? text)
    {
        _kind = kind;
        _number = number;
        _text = text;
    }

    private enum ChoiceKind : byte
    {
        Null,
        Bool,
        Number,
        Text,
    }

    /// <summary>The key of a supported choice (see <see cref="DistributionValues.IsSupportedChoice"/>).</summary>
    public static ChoiceKey Of(object? value) => value switch
    {
        null => new ChoiceKey(ChoiceKind.Null, 0, null),
        bool b => new ChoiceKey(ChoiceKind.Bool, b ? 1 : 0, null),
        string s => new ChoiceKey(ChoiceKind.Text, 0, s),
        _ => new ChoiceKey(ChoiceKind.Number, Canonical(DistributionValues.ToDouble(value)), null),
    };

    public bool Equals(ChoiceKey other) =>
        _kind == other._kind && (_kind == ChoiceKind.Text ? string.Equals(_text, other._text, StringComparison.Ordinal) : _number.Equals(other._number));

    public override bool Equals(object? obj) => obj is ChoiceKey other && Equals(other);

    public override int GetHashCode() => _kind switch
    {
        ChoiceKind.Text => _text!.GetHashCode(StringComparison.Ordinal),
        ChoiceKind.Number => _number.GetHashCode(),
        ChoiceKind.Bool => _number == 0 ? 2 : 3,
        _ => 1,
    };

    public static bool operator ==(ChoiceKey left, ChoiceKey right) => left.Equals(right);

    public static bool operator !=(ChoiceKey left, ChoiceKey right) => !left.Equals(right);

    /// <summary>0 and -0 are one choice (they compare equal), and so are all NaNs (double.Equals says so).</summary>
    private static double Canonical(double d) => d == 0 ? 0 : double.IsNaN(d) ? double.NaN : d;
}
