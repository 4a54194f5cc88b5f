using System.Buffers;
using System.Globalization;
using System.Text.Json;
using Hone.Distributions;
using Hone.Studies;
using Hone.Trials;

namespace Hone.Storage.Journal;

/// <summary>
/// Builds journal lines as Optuna writes them: one JSON object a line with <c>op_code</c>, <c>worker_id</c> and the
/// operation's fields; non-finite floats as Python's bare <c>NaN</c>, <c>Infinity</c>, <c>-Infinity</c>; times as
/// naive ISO 8601 with microseconds; distributions as Optuna's JSON text inside a JSON string.
/// </summary>
internal sealed class JournalWriter : IDisposable
{
    private readonly ArrayBufferWriter<byte> _buffer = new(512);
    private readonly Utf8JsonWriter _json;
    private readonly string _workerId;

    public JournalWriter(string workerId)
    {
        _workerId = workerId;
        _json = new Utf8JsonWriter(_buffer);
    }

    /// <summary>The lines written so far, each ending in '\n'.</summary>
    public ReadOnlySpan<byte> Lines => _buffer.WrittenSpan;

    public int Count { get; private set; }

    public void Dispose() => _json.Dispose();

    public void CreateStudy(string name, IReadOnlyList<StudyDirection> directions)
    {
        Begin(JournalOperation.CreateStudy);
        _json.WriteString("study_name", name);
        _json.WriteStartArray("directions");
        foreach (var d in directions)
        {
            _json.WriteNumberValue((int)d);
        }

        _json.WriteEndArray();
        End();
    }

    public void DeleteStudy(long studyId)
    {
        Begin(JournalOperation.DeleteStudy);
        _json.WriteNumber("study_id", studyId);
        End();
    }

    public void SetStudyAttr(long studyId, bool system, string key, JsonElement value)
    {
        Begin(system ? JournalOperation.SetStudySystemAttr : JournalOperation.SetStudyUserAttr);
        _json.WriteNumber("study_id", studyId);
        _json.WriteStartObject(system ? "system_attr" : "user_attr");
        _json.WritePropertyName(key);
        value.WriteTo(_json);
        _json.WriteEndObject();
        End();
    }

    /// <summary>A new Running trial started at <paramref name="start"/>, as Optuna writes one without a template.</summary>
    public void CreateTrial(long studyId, DateTime start, IReadOnlyDictionary<string, JsonElement>? systemAttrs)
    {
        Begin(JournalOperation.CreateTrial);
        _json.WriteNumber("study_id", studyId);
        _json.WriteString("datetime_start", Time(start));
        if (systemAttrs is { Count: > 0 })
        {
            WriteAttrs("system_attrs", systemAttrs);
        }

        End();
    }

    /// <summary>A trial copied from a template, with every field Optuna writes for one.</summary>
    public void CreateTrial(long studyId, FrozenTrial template, DateTime? start, DateTime? complete, IReadOnlyDictionary<string, JsonElement> systemAttrs)
    {
        Begin(JournalOperation.CreateTrial);
        _json.WriteNumber("study_id", studyId);
        _json.WriteNumber("state", (int)template.State);
        var values = template.Values;
        _json.WritePropertyName("value");
        if (values is { Count: 1 })
        {
            Number(values[0]);
        }
        else
        {
            _json.WriteNullValue();
        }

        _json.WritePropertyName("values");
        if (values is { Count: > 1 })
        {
            Numbers(values);
        }
        else
        {
            _json.WriteNullValue();
        }

        _json.WritePropertyName("datetime_start");
        if (start is { } s)
        {
            _json.WriteStringValue(Time(s));
        }
        else
        {
            _json.WriteNullValue();
        }

        if (complete is { } c)
        {
            _json.WriteString("datetime_complete", Time(c));
        }

        _json.WriteStartObject("distributions");
        foreach (var (name, distribution) in template.Distributions)
        {
            _json.WriteString(name, distribution.ToJson());
        }

        _json.WriteEndObject();
        _json.WriteStartObject("params");
        foreach (var (name, x) in template.InternalParams)
        {
            _json.WritePropertyName(name);
            Number(x);
        }

        _json.WriteEndObject();
        WriteAttrs("user_attrs", template.UserAttrs);
        WriteAttrs("system_attrs", systemAttrs);
        _json.WriteStartObject("intermediate_values");
        foreach (var (step, v) in template.IntermediateValues)
        {
            _json.WritePropertyName(step.ToString(CultureInfo.InvariantCulture));
            Number(v);
        }

        _json.WriteEndObject();
        End();
    }

    public void SetTrialParam(long trialId, string name, double internalValue, Distribution distribution)
    {
        Begin(JournalOperation.SetTrialParam);
        _json.WriteNumber("trial_id", trialId);
        _json.WriteString("param_name", name);
        _json.WritePropertyName("param_value_internal");
        Number(internalValue);
        _json.WriteString("distribution", distribution.ToJson());
        End();
    }

    public void SetTrialStateValues(long trialId, TrialState state, IReadOnlyList<double>? values, DateTime now)
    {
        Begin(JournalOperation.SetTrialStateValues);
        _json.WriteNumber("trial_id", trialId);
        _json.WriteNumber("state", (int)state);
        _json.WritePropertyName("values");
        if (values is null)
        {
            _json.WriteNullValue();
        }
        else
        {
            Numbers(values);
        }

        if (state == TrialState.Running)
        {
            _json.WriteString("datetime_start", Time(now));
        }
        else if (state.IsFinished())
        {
            _json.WriteString("datetime_complete", Time(now));
        }

        End();
    }

    public void SetTrialIntermediateValue(long trialId, int step, double value)
    {
        Begin(JournalOperation.SetTrialIntermediateValue);
        _json.WriteNumber("trial_id", trialId);
        _json.WriteNumber("step", step);
        _json.WritePropertyName("intermediate_value");
        Number(value);
        End();
    }

    public void SetTrialAttr(long trialId, bool system, string key, JsonElement value)
    {
        Begin(system ? JournalOperation.SetTrialSystemAttr : JournalOperation.SetTrialUserAttr);
        _json.WriteNumber("trial_id", trialId);
        _json.WriteStartObject(system ? "system_attr" : "user_attr");
        _json.WritePropertyName(key);
        value.WriteTo(_json);
        _json.WriteEndObject();
        End();
    }

    /// <summary>A time as Python's <c>datetime.isoformat(timespec="microseconds")</c> writes a naive one.</summary>
    public static string Time(DateTime t) => t.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff", CultureInfo.InvariantCulture);

    /// <summary>
    /// A float as Python's <c>json.dumps</c> writes it: shortest round-trip digits, a whole number with ".0" (so Optuna
    /// reads a float, not an int), and NaN and the infinities as bare words.
    /// </summary>
    public static string Float(double x)
    {
        if (double.IsNaN(x))
        {
            return "NaN";
        }

        if (double.IsInfinity(x))
        {
            return x > 0 ? "Infinity" : "-Infinity";
        }

        var text = x.ToString("R", CultureInfo.InvariantCulture);
        return text.AsSpan().IndexOfAny(".E") < 0 ? text + ".0" : text;
    }

    private void Number(double x) => _json.WriteRawValue(Float(x), skipInputValidation: true);

    private void Numbers(IReadOnlyList<double> values)
    {
        _json.WriteStartArray();
        foreach (var v in values)
        {
            Number(v);
        }

        _json.WriteEndArray();
    }

    private void WriteAttrs(string name, IReadOnlyDictionary<string, JsonElement> attrs)
    {
        _json.WriteStartObject(name);
        foreach (var (k, v) in attrs)
        {
            _json.WritePropertyName(k);
            v.WriteTo(_json);
        }

        _json.WriteEndObject();
    }

    private void Begin(JournalOperation op)
    {
        _json.Reset(_buffer);
        _json.WriteStartObject();
        _json.WriteNumber("op_code", (int)op);
        _json.WriteString("worker_id", _workerId);
    }

    private void End()
    {
        _json.WriteEndObject();
        _json.Flush();
        _buffer.Write("\n"u8);
        Count++;
    }
}
