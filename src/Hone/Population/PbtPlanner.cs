using Hone.Artifacts;
using Hone.Studies;
using Hone.Trials;

namespace Hone.Population;

/// <summary>The next segment for a worker to train, decided from the study's trials (any process's).</summary>
internal sealed record PbtPlan(int Member, int Generation, FrozenTrial? Parent, IReadOnlyDictionary<string, double>? InternalParams, int? ExploitedMember);

/// <summary>
/// Decides what a free worker trains next (Jaderberg et al. 2017, asynchronous PBT): a member not started yet, else the
/// free member furthest behind. A member in the bottom quantile of the latest scores exploits a member of the top
/// quantile that has a checkpoint (its checkpoint and hyperparameters, then explored); any other continues from its own
/// last segment.
/// </summary>
internal static class PbtPlanner
{
    public enum Outcome
    {
        /// <summary>A segment to train.</summary>
        Train,

        /// <summary>Nothing free now; members are training elsewhere.</summary>
        Wait,

        /// <summary>Every member finished (or was given up).</summary>
        Done,
    }

    public static Outcome Plan(Study study, IReadOnlyList<FrozenTrial> trials, int asking, PbtOptions options, Random rng, out PbtPlan? plan)
    {
        plan = null;
        var members = Members(trials, asking, options);
        var anyFree = false;
        MemberState? pick = null;
        foreach (var m in members)
        {
            if (m.Busy || m.Finished || m.GivenUp)
            {
                continue;
            }

            anyFree = true;
            if (pick is null || m.NextGeneration < pick.NextGeneration)
            {
                pick = m;
            }
        }

        if (!anyFree)
        {
            return members.Any(m => m.Busy) ? Outcome.Wait : Outcome.Done;
        }

        if (pick!.Latest is not { } own)
        {
            plan = new PbtPlan(pick.Id, 0, null, null, null);
            return Outcome.Train;
        }

        var donor = Donor(study, members, pick, options, rng);
        plan = donor is null
            ? new PbtPlan(pick.Id, pick.NextGeneration, own, own.InternalParams, null)
            : new PbtPlan(pick.Id, pick.NextGeneration, donor.Latest, PbtExplorer.Explore(donor.Latest!.InternalParams, donor.Latest.Distributions, options, rng), donor.Id);
        return Outcome.Train;
    }

    /// <summary>Ranks the members by the value of their latest finished segment; a bottom member gets a random top member with a checkpoint.</summary>
    private static MemberState? Donor(Study study, List<MemberState> members, MemberState member, PbtOptions options, Random rng)
    {
        var ranked = members.Where(m => m.Latest?.Values is { Count: 1 }).ToList();
        ranked.Sort((a, b) => a.Latest!.Values![0].CompareTo(b.Latest!.Values![0]));
        if (study.Direction == StudyDirection.Maximize)
        {
            ranked.Reverse();
        }

        // ranked is best first.
        var n = (int)Math.Ceiling(ranked.Count * options.Quantile);
        if (n > ranked.Count / 2)
        {
            n = ranked.Count / 2;
        }

        if (n == 0 || ranked.IndexOf(member) < ranked.Count - n)
        {
            return null;
        }

        var top = ranked.Take(n).Where(m => m != member && CheckpointAttributes.ReadCheckpoints(m.Latest!).Count > 0).ToList();
        return top.Count == 0 ? null : top[rng.Next(top.Count)];
    }

    private static List<MemberState> Members(IReadOnlyList<FrozenTrial> trials, int asking, PbtOptions options)
    {
        var members = new MemberState[options.PopulationSize];
        for (var i = 0; i < members.Length; i++)
        {
            members[i] = new MemberState(i);
        }

        var failures = new Dictionary<(int, int), int>();
        foreach (var t in trials)
        {
            if (t.Number == asking || PbtAttributes.Claim(t) is not { } claim || claim.Member < 0 || claim.Member >= members.Length)
            {
                continue;
            }

            var m = members[claim.Member];
            switch (t.State)
            {
                case TrialState.Running or TrialState.Waiting:
                    m.Busy = true;
                    break;
                case TrialState.Complete when m.Latest is null || claim.Generation > m.LatestGeneration:
                    m.Latest = t;
                    m.LatestGeneration = claim.Generation;
                    break;
                case TrialState.Fail or TrialState.Pruned:
                    failures[claim] = failures.GetValueOrDefault(claim) + 1;
                    break;
            }
        }

        foreach (var m in members)
        {
            m.NextGeneration = m.Latest is null ? 0 : m.LatestGeneration + 1;
            m.Finished = m.NextGeneration >= options.Generations;
            m.GivenUp = failures.GetValueOrDefault((m.Id, m.NextGeneration)) >= options.MaxSegmentFailures;
        }

        return [.. members];
    }

    private sealed class MemberState(int id)
    {
        public int Id { get; } = id;

        public FrozenTrial? Latest { get; set; }

        public int LatestGeneration { get; set; }

        public int NextGeneration { get; set; }

        public bool Busy { get; set; }

        public bool Finished { get; set; }

        public bool GivenUp { get; set; }
    }
}
