using System.Diagnostics;
using System.Text;
using Hone.Cli.Sweep;

namespace Hone.Cli.Tests;

/// <summary>
/// Mutated sweep files through the sweep reader and the checks <c>hone check</c> and <c>hone optimize</c> share
/// (in-process, no subprocess per case). Each case must either read or fail with <see cref="SweepException"/>; no
/// other exception, no stack overflow (which would end the test run), and no case over 5 s.
/// </summary>
public sealed class SweepFuzzTests
{
    private const int Cases = 7_000;

    private static readonly string[] InlineSeeds =
    [
        TempFolder.GoodSweep,
        """
        study: conditional
        storage: inmemory
        direction: maximize
        sampler: {name: random, seed: 3}
        pruner: {name: patient, patience: 2, wrapped_pruner: {name: median, startup_trials: 1}}
        parameters:
          kind: {type: categorical, choices: [a, b, 1, 2.5, true, null]}
          depth: {type: int, low: 1, high: 9, step: 2, when: {kind: [a, 1]}}
          rate: {type: float, low: 0, high: 1, step: 0.25}
        command: python3 train.py --kind {kind} --rate={rate}
        env: {MODE: fast}
        workdir: sub
        result: {regex: 'score=(?<value>\S+)'}
        timeout: 1h30m
        trial_timeout: 90
        grace_period: 500ms
        jobs: 2
        retries: 1
        logs: logs
        """,
        """
        metrics: [loss, size]
        directions: [minimize, minimize]
        sampler: grid
        parameters:
          n: {type: int, low: 0, high: 4}
          x: {type: float, low: 0, high: 1, step: 0.5}
          c: [u, v]
        shell: true
        command: |
          echo "{n} {x} {c}" && [ -f x ] || echo '{"loss": 1, "size": 2}'
        result:
          file: "out-{trial}.json"
        """,
        """
        sampler: {name: qmc, qmc_type: halton, scramble: false}
        pruner: {name: hyperband, min_resource: 1, max_resource: 9, reduction_factor: 3}
        parameters:
          ? a
          : {type: float, low: -5, high: 5}
          b: [1, 2, 3]
        command:
          - prog
          - "--a={a}"
          - "--b={b}"
        """,
        """
        sampler: bruteforce
        parameters: {i: {type: int, low: 1, high: 3}, j: [x, y]}
        command: [prog, "{i}", "{j}"]
        """,
    ];

    private static readonly string[] Seeds = [.. InlineSeeds, .. ExampleSweeps()];

    private static readonly string[] Fragments =
    [
        "[", "]", "{", "}", ":", ": ", ",", "- ", "? ", "|", ">", "&a ", "*a", "!!str ", "#", "'", "\"", "\\", "\n", "\t", " ", "  ",
        "\0", "\\0", "\\x00", "\uFEFF", "\u2028", "\u200F", "\uD800", "\uDC00", "😀", "é", "\r\n", "%YAML 1.2\n", "---\n", "...\n",
        "1e308", "-1e308", "1.797e308", "1e-320", "99999999999999h", "9999999999d", "1e300s", "2147483648", "-2147483649", ".nan", ".inf", "-0",
        "0x10", "0o7", "~", "null", "true", "{lr}", "{", "}}", "{{", "sqlite:///", "postgresql://", "?synchronous=full&synchronous=off",
        "type: float", "low: ", "high: ", "step: ", "log: true", "choices: ", "when: ", "sampler: bruteforce", "sampler: grid", "workdir: \"\\0\"",
        "command: [\"\"]", "storage: \"postgresql://\"", "trial_timeout: 99999999999999h", "&x [*x]", "<<: *a",
    ];

    private static readonly string[] Lines =
    [
        "trial_timeout: 99999999999999h", "timeout: 1e300", "grace_period: -1", "jobs: 99999999999", "trials: -3", "retries: 2147483648",
        "storage: \"postgresql://\"", "storage: \"sqlite:///x.db?synchronous=full&synchronous=off\"", "storage: \"sqlite:///\\0\"",
        "storage: \"host=h host=g\"", "storage: \"postgresql://h:70000/d\"", "workdir: \"\\0\"", "workdir: \"\"", "logs: \"\\0\"",
        "command: [\"\"]", "command: []", "command: \"\"", "shell: true", "sampler: bruteforce", "sampler: grid", "sampler: {name: tpe, startup_trials: -1}",
        "sampler: {name: tpe, prior_weight: .nan}", "pruner: {name: percentile, percentile: 1e308}", "pruner: {name: threshold, lower: .nan}",
        "env: {\"A=B\": x}", "env: {A: \"\\0\"}", "result: {regex: '(?<value>'}", "result: {regex: '(a+)+$'}", "result: {file: \"\\0\"}",
        "study: \"\"", "study: \"\\0\"", "metric: \"\"", "direction: sideways", "directions: [minimize, minimize, minimize]",
        "x: &a [*a]", "? &k [*k]\n: 1", "a: &a {b: *a}", "a: &a [1]\nb: *a\nc: *a",
    ];

    private static readonly string[] ParameterLines =
    [
        "  x: {type: float, low: 1e-9, high: 1.797e308, step: 0.5}", "  x: {type: float, low: 0, high: 8.5, step: 1e-300}",
        "  x: {type: float, low: -1.797e308, high: 1e308}", "  x: {type: float, low: -1e308, high: -9.41, step: 1e308}",
        "  x: {type: float, low: 1e-320, high: 1e308, log: true}", "  x: {type: int, low: -2147483648, high: 2147483647}",
        "  x: {type: int, low: 0, high: 100000000}", "  x: {type: int, low: 0, high: 99999, step: 1}", "  x: {type: float, low: .nan, high: 1}",
        "  x: [a, \"\\0\"]", "  x: [1, 1.0]", "  x: [.nan, .nan]", "  x: [\"\", ~, null]", "  x: {type: categorical, choices: []}",
        "  x: {type: float, low: 0, high: 1e15, step: 1}", "  x: {type: int, low: 1, high: 3, when: {x: 2}}", "  \"\\0\": [a]",
    ];

    [Fact]
    public void MutatedSweeps_ReadOrFailWithSweepException()
    {
        var random = new Random(20261201);
        var dir = Path.Combine(Path.GetTempPath(), "hone-fuzz");
        var failures = new List<string>();
        var refused = 0;
        for (var n = 0; n < Cases && failures.Count < 10; n++)
        {
            var text = Mutate(random, n);
            var watch = Stopwatch.StartNew();
            try
            {
                _ = SweepReader.Parse("fuzz.yaml", Path.Combine(dir, "fuzz.yaml"), text);
            }
            catch (SweepException e)
            {
                refused++;
                if (e.Message.Contains("   at ", StringComparison.Ordinal) || e.Message.Contains("(Parameter '", StringComparison.Ordinal))
                {
                    failures.Add($"case {n}: a message with .NET internals: {e.Message}\n--- text:\n{Shorten(text)}");
                }
            }
            catch (Exception e)
            {
                failures.Add($"case {n}: {e.GetType().FullName}: {e.Message}\n--- text:\n{Shorten(text)}");
            }

            if (watch.Elapsed > TimeSpan.FromSeconds(5))
            {
                failures.Add($"case {n}: took {watch.Elapsed}\n--- text:\n{Shorten(text)}");
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n\n", failures));
        Assert.InRange(refused, Cases / 10, Cases - (Cases / 20));
    }

    /// <summary>The sweep files under examples/ (found from the test's folder upwards), so the fuzz follows them as they change.</summary>
    private static IEnumerable<string> ExampleSweeps()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var examples = Path.Combine(dir.FullName, "examples");
            if (File.Exists(Path.Combine(dir.FullName, "Hone.slnx")) && Directory.Exists(examples))
            {
                return Directory.GetFiles(examples, "sweep*.yaml", SearchOption.AllDirectories).Order(StringComparer.Ordinal).Select(File.ReadAllText);
            }
        }

        return [];
    }

    [Fact]
    public void ExampleSweeps_AreAmongTheSeeds_AndRead()
    {
        var examples = ExampleSweeps().ToList();
        Assert.NotEmpty(examples);
        foreach (var text in examples)
        {
            _ = SweepReader.Parse("example.yaml", Path.Combine(Path.GetTempPath(), "example.yaml"), text);
        }
    }

    [Fact]
    public void DocumentedYaml_IsWithinTheNestingLimit()
    {
        var blocks = 0;
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (!File.Exists(Path.Combine(dir.FullName, "Hone.slnx")))
            {
                continue;
            }

            var docs = Directory.GetFiles(Path.Combine(dir.FullName, "docs"), "*.md").Append(Path.Combine(dir.FullName, "README.md")).Where(File.Exists);
            foreach (var doc in docs)
            {
                var parts = File.ReadAllText(doc).Split("```");
                for (var i = 1; i < parts.Length; i += 2)
                {
                    if (parts[i].StartsWith("yaml", StringComparison.Ordinal))
                    {
                        blocks++;
                        Assert.Null(SweepLimits.Problem(Path.GetFileName(doc), parts[i]["yaml".Length..]));
                    }
                }
            }

            break;
        }

        Assert.True(blocks > 0, "no ```yaml blocks found in docs/ and README.md");
    }

    private static string Shorten(string text) => text.Length <= 600 ? text : text[..600] + $"... ({text.Length} characters)";

    private static string Mutate(Random r, int n)
    {
        var text = Seeds[r.Next(Seeds.Length)];
        switch (n % 10)
        {
            case 0:
                return Deep(r, text);
            case 1:
                return text + "\n" + Lines[r.Next(Lines.Length)] + "\n";
            case 2:
                return text.Replace("parameters:\n", "parameters:\n" + ParameterLines[r.Next(ParameterLines.Length)] + "\n", StringComparison.Ordinal);
            case 3:
                return text[..r.Next(text.Length + 1)];
            default:
                var sb = new StringBuilder(text);
                for (var k = r.Next(1, 6); k > 0; k--)
                {
                    var at = r.Next(sb.Length + 1);
                    switch (r.Next(5))
                    {
                        case 0:
                            sb.Insert(at, Fragments[r.Next(Fragments.Length)]);
                            break;
                        case 1 when sb.Length > 0:
                            sb.Remove(Math.Min(at, sb.Length - 1), Math.Min(r.Next(1, 20), sb.Length - Math.Min(at, sb.Length - 1)));
                            break;
                        case 2:
                            sb.Insert(at, (char)r.Next(0, 0x3000));
                            break;
                        case 3 when sb.Length > 1:
                        {
                            var from = r.Next(sb.Length - 1);
                            var length = Math.Min(r.Next(1, 40), sb.Length - from);
                            sb.Insert(at, sb.ToString(from, length));
                            break;
                        }

                        default:
                            sb.Insert(at, Lines[r.Next(Lines.Length)] + "\n");
                            break;
                    }
                }

                return sb.ToString();
        }
    }

    private static string Deep(Random r, string text)
    {
        var depth = r.Next(3) switch { 0 => 35_000, 1 => 30_000, _ => r.Next(50, 2_000) };
        var nest = r.Next(6) switch
        {
            0 => new string('[', depth),
            1 => string.Concat(Enumerable.Repeat("{a: ", depth)),
            2 => string.Concat(Enumerable.Repeat("- ", depth)) + "x",
            3 => string.Concat(Enumerable.Range(0, Math.Min(depth, 1_400)).Select(i => "\n" + new string(' ', i + 1) + "k:")),
            4 => string.Concat(Enumerable.Repeat("[\"]\", ", depth)),
            _ => string.Concat(Enumerable.Repeat("[ '\n]', ", depth)),
        };
        return r.Next(2) == 0 ? text + "\nresult: " + nest + "\n" : "result: " + nest + "\n" + text;
    }
}
