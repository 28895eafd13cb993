namespace Ledger.IntegrationTests.Gpu;

/// <summary>A fact that builds a native stand-in with the C compiler; skipped where there is no <c>cc</c>.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class CompilerFactAttribute : FactAttribute
{
    public CompilerFactAttribute()
    {
        if (!FakeNvml.CompilerAvailable)
        {
            Skip = "no C compiler (cc) on PATH to build the fake libnvidia-ml.so.1";
        }
    }
}
