using System.Reflection;
using Microsoft.ML;

namespace Hone.MLNet.Tuning;

/// <summary>
/// Stops a running ML.NET fit. MLContext implements ML.NET's cancellation interface (Microsoft.ML.Runtime.ICancelable)
/// explicitly, and the public extension that calls it ships only in the Microsoft.ML.Experimental package, which this
/// project does not take for one method; the interface method is found once by name instead. Where a future ML.NET
/// drops it, <see cref="IsAvailable"/> is false and a trial over its limit stops at the next fold instead.
/// </summary>
internal static class MLContextCancellation
{
    private static readonly MethodInfo? Cancel = typeof(MLContext).GetInterfaces()
        .FirstOrDefault(i => i.FullName == "Microsoft.ML.Runtime.ICancelable")
        ?.GetMethod("CancelExecution", BindingFlags.Public | BindingFlags.Instance, Type.EmptyTypes);

    public static bool IsAvailable => Cancel is not null;

    /// <summary>Asks the fits running on <paramref name="context"/> to stop; they throw at their next check.</summary>
    public static void CancelExecution(MLContext context) => Cancel?.Invoke(context, null);
}
