using System.Reflection;
using System.Runtime.Loader;
using Ledger.Core.Text;

namespace Ledger.Core.Tests;

/// <summary>
/// The redactor in a fresh load of Ledger.Core, where nothing has touched it yet and no rule is
/// built: for tests of which rules a call builds. Unloaded when disposed.
/// </summary>
internal sealed class FreshRedactor : IDisposable
{
    private readonly AssemblyLoadContext _context;
    private readonly Type _type;

    public FreshRedactor(string name)
    {
        _context = new AssemblyLoadContext(name, isCollectible: true);
        var core = _context.LoadFromAssemblyPath(typeof(Redactor).Assembly.Location);
        _type = core.GetType(typeof(Redactor).FullName!, throwOnError: true)!;
    }

    /// <summary>How many built-in rules are built (<c>Redactor.BuiltRules</c>).</summary>
    public int Built => (int)_type.GetProperty("BuiltRules", BindingFlags.NonPublic | BindingFlags.Static)!.GetValue(null)!;

    public string Redact(string text)
    {
        var redactor = _type.GetProperty(nameof(Redactor.Default), BindingFlags.Public | BindingFlags.Static)!.GetValue(null)!;
        return (string)_type.GetMethod(nameof(Redactor.Redact))!.Invoke(redactor, [text])!;
    }

    public void Dispose() => _context.Unload();
}
