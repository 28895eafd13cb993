using System.Text;
using Ledger.Core.Text;
using Serilog.Configuration;
using Serilog.Core;
using Serilog.Events;
using Serilog.Parsing;

namespace Ledger.App.Logging;

/// <summary>
/// Stands in front of every log sink (the file, the console, journald's stream) and hands each
/// event on made inert. Property values are recorded text more often than not (alert names, paths,
/// host names, error messages quoting them): their control characters become visible escapes and
/// their line breaks <c>\n</c>, so a value can neither drive a terminal that shows the log nor forge
/// a log line. An exception is written as its type, message and stack, inner exceptions included,
/// without the extra fields some exceptions print in <c>ToString</c>: Npgsql's
/// <c>PostgresException</c> lists the server's <c>Where</c>, which quotes the JSON being inserted
/// (a patch, a payload) when the server refuses it.
/// </summary>
internal sealed class InertLogSink(ILogEventSink inner) : ILogEventSink, IDisposable, IAsyncDisposable
{
    private static readonly MessageTemplateParser Parser = new();

    public void Emit(LogEvent logEvent) => inner.Emit(Inert(logEvent));

    public void Dispose() => (inner as IDisposable)?.Dispose();

    public ValueTask DisposeAsync()
    {
        if (inner is IAsyncDisposable asyncDisposable)
        {
            return asyncDisposable.DisposeAsync();
        }

        Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>The sinks that <paramref name="configure"/> adds, each behind an <see cref="InertLogSink"/>.</summary>
    public static Serilog.LoggerConfiguration Around(LoggerSinkConfiguration writeTo, Action<LoggerSinkConfiguration> configure) =>
        writeTo.Sink(LoggerSinkConfiguration.Wrap(sink => new InertLogSink(sink), configure));

    /// <summary>The event with its template, property values and exception made inert (the same event when nothing needed it).</summary>
    public static LogEvent Inert(LogEvent e)
    {
        // Templates are written in code, so their own line breaks stay.
        var text = TerminalText.Escape(e.MessageTemplate.Text);
        var template = text == e.MessageTemplate.Text ? e.MessageTemplate : Parser.Parse(text);
        var exception = e.Exception is null ? null : new LoggedException(e.Exception);
        var changed = !ReferenceEquals(template, e.MessageTemplate) || exception is not null;
        var properties = new List<LogEventProperty>(e.Properties.Count);
        foreach (var (name, value) in e.Properties)
        {
            var clean = Clean(value);
            changed |= !ReferenceEquals(clean, value);
            properties.Add(new LogEventProperty(name, clean));
        }

        return changed ? new LogEvent(e.Timestamp, e.Level, exception, template, properties, e.TraceId ?? default, e.SpanId ?? default) : e;
    }

    private static LogEventPropertyValue Clean(LogEventPropertyValue value)
    {
        switch (value)
        {
            case ScalarValue { Value: string s }:
                return s.Any(TerminalText.IsUnsafe) ? new ScalarValue(TerminalText.EscapeLine(s)) : value;
            case ScalarValue { Value: var plain } when IsPlain(plain):
                return value;
            case ScalarValue scalar:
                // Rendered through ToString (an address, a path, a URI): judged by what it prints.
                var text = scalar.Value?.ToString() ?? "";
                return text.Any(TerminalText.IsUnsafe) ? new ScalarValue(TerminalText.EscapeLine(text)) : value;
            case SequenceValue sequence:
                var items = sequence.Elements.Select(Clean).ToList();
                return items.Zip(sequence.Elements).All(p => ReferenceEquals(p.First, p.Second)) ? value : new SequenceValue(items);
            case StructureValue structure:
                var props = structure.Properties.Select(p => new LogEventProperty(p.Name, Clean(p.Value))).ToList();
                return props.Zip(structure.Properties).All(p => ReferenceEquals(p.First.Value, p.Second.Value)) ? value : new StructureValue(props, structure.TypeTag);
            case DictionaryValue dictionary:
                var pairs = dictionary.Elements.Select(p => new KeyValuePair<ScalarValue, LogEventPropertyValue>((ScalarValue)Clean(p.Key), Clean(p.Value))).ToList();
                return pairs.Zip(dictionary.Elements).All(p => ReferenceEquals(p.First.Key, p.Second.Key) && ReferenceEquals(p.First.Value, p.Second.Value)) ? value : new DictionaryValue(pairs);
            default:
                return value;
        }
    }

    /// <summary>Numbers, times, ids and the like: nothing in how they print can be a control character.</summary>
    private static bool IsPlain(object? value) =>
        value is null or bool or byte or sbyte or short or ushort or int or uint or long or ulong or float or double or decimal
            or DateTime or DateTimeOffset or TimeSpan or Guid or Enum;

    /// <summary>Stands in for a logged exception: <c>ToString</c> gives only types, messages and stacks, made inert.</summary>
    private sealed class LoggedException(Exception original) : Exception(TerminalText.EscapeLine(original.Message))
    {
        private readonly string _text = TerminalText.Escape(Describe(original));

        public override string ToString() => _text;

        private static string Describe(Exception e)
        {
            var b = new StringBuilder();
            b.Append(e.GetType().FullName).Append(": ").Append(e.Message);
            var inners = e is AggregateException a ? a.InnerExceptions : e.InnerException is { } i ? [i] : (IReadOnlyList<Exception>)[];
            foreach (var inner in inners)
            {
                b.Append("\n ---> ").Append(Describe(inner)).Append("\n   --- End of inner exception stack trace ---");
            }

            if (e.StackTrace is { } stack)
            {
                b.Append('\n').Append(stack);
            }

            return b.ToString();
        }
    }
}
