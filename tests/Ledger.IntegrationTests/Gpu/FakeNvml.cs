using System.Diagnostics;
using Ledger.Capture.Processes;
using Ledger.IntegrationTests.Support;

namespace Ledger.IntegrationTests.Gpu;

/// <summary>
/// A stand-in libnvidia-ml.so.1, compiled with the machine's C compiler, that answers with the
/// values NVML gave on an H200 (GPU 0, with a CUDA context holding 1 GiB) and a MIG-mode A100
/// (GPU 1, utilization not supported). It checks what a real NVML checks (the struct version of
/// nvmlMemory_v2_t, the buffer size of the process list), so the bindings are exercised for real.
/// Defines change it: INIT_RC=n (nvmlInit_v2's result), NO_MEMORY_V2, NO_V3, LOST (GPU 1 fell off the bus),
/// CALL_LOG="path" (each nvmlInit_v2 and nvmlShutdown appends a line "init" / "shutdown" there).
/// </summary>
public sealed class FakeNvml : IDisposable
{
    /// <summary>The pid the fake reports for a process that is not visible in /proc.</summary>
    public const int InvisiblePid = 2147483646;

    private const string Source = """
        #include <string.h>
        #include <unistd.h>
        typedef struct { unsigned int gpu, memory; } util_t;
        typedef struct { unsigned long long total, free, used; } mem_t;
        typedef struct { unsigned int version; unsigned long long total, reserved, free, used; } mem2_t;
        typedef struct { unsigned int pid; unsigned long long used; unsigned int gi, ci; } proc_t;
        #ifndef INIT_RC
        #define INIT_RC 0
        #endif
        #define MIB(x) ((unsigned long long)((x) * 1048576.0))
        static int dev(void *h) { return (int)((unsigned long)h - 0x1000); }
        #ifdef CALL_LOG
        #include <stdio.h>
        static void note(const char *what) { FILE *f = fopen(CALL_LOG, "a"); if (f) { fputs(what, f); fputc('\n', f); fclose(f); } }
        #else
        static void note(const char *what) { (void)what; }
        #endif
        int nvmlInit_v2(void) { note("init"); return INIT_RC; }
        int nvmlShutdown(void) { note("shutdown"); return 0; }
        const char *nvmlErrorString(int rc) { return rc == 9 ? "Driver Not Loaded" : rc == 15 ? "GPU is lost" : "Unknown Error"; }
        int nvmlDeviceGetCount_v2(unsigned int *n) { *n = 2; return 0; }
        int nvmlDeviceGetHandleByIndex_v2(unsigned int i, void **h) { if (i >= 2) return 2; *h = (void *)(unsigned long)(0x1000 + i); return 0; }
        int nvmlDeviceGetName(void *h, char *b, unsigned int n) { strncpy(b, dev(h) == 0 ? "NVIDIA H200" : "NVIDIA A100-SXM4-40GB", n); return 0; }
        int nvmlDeviceGetUUID(void *h, char *b, unsigned int n) { strncpy(b, dev(h) == 0 ? "GPU-6bd4d6e1-4195-52f0-0b57-52ec2a616d15" : "GPU-0d2f3c4b-5a69-7887-96a5-b4c3d2e1f000", n); return 0; }
        int nvmlDeviceGetUtilizationRates(void *h, util_t *u) { if (dev(h) == 1) return 3; u->gpu = 7; u->memory = 2; return 0; }
        #ifndef NO_MEMORY_V2
        int nvmlDeviceGetMemoryInfo_v2(void *h, mem2_t *m) {
          if (m->version != (sizeof(mem2_t) | (2u << 24))) return 25;
          m->total = MIB(143771); m->reserved = MIB(615.0625); m->free = MIB(141605.125); m->used = MIB(1550.8125); return 0; }
        #endif
        int nvmlDeviceGetMemoryInfo(void *h, mem_t *m) { m->total = MIB(143771); m->free = MIB(141605.125); m->used = MIB(2165.875); return 0; }
        int nvmlDeviceGetTemperature(void *h, int sensor, unsigned int *t) { if (sensor != 0) return 2; *t = 36; return 0; }
        int nvmlDeviceGetPowerUsage(void *h, unsigned int *p) {
        #ifdef LOST
          if (dev(h) == 1) return 15;
        #endif
          *p = 83578; return 0; }
        int nvmlDeviceGetEncoderUtilization(void *h, unsigned int *u, unsigned int *period) { return 3; }
        int nvmlDeviceGetDecoderUtilization(void *h, unsigned int *u, unsigned int *period) { *u = 12; *period = 167000; return 0; }
        static int procs(void *h, unsigned int *n, proc_t *p) {
          unsigned int have = dev(h) == 0 ? 2 : 0;
          if (*n < have) { *n = have; return 7; }
          *n = have;
          if (have) {
            p[0].pid = getpid(); p[0].used = MIB(1542); p[0].gi = p[0].ci = 0xFFFFFFFF;
            p[1].pid = 2147483646; p[1].used = ~0ULL; p[1].gi = p[1].ci = 0xFFFFFFFF; }
          return 0; }
        #ifndef NO_V3
        int nvmlDeviceGetComputeRunningProcesses_v3(void *h, unsigned int *n, proc_t *p) { return procs(h, n, p); }
        #endif
        int nvmlDeviceGetComputeRunningProcesses_v2(void *h, unsigned int *n, proc_t *p) { return procs(h, n, p); }

        """;

    private readonly TempDirectory _dir = new("fake-nvml");

    public FakeNvml(params string[] defines)
    {
        var source = System.IO.Path.Combine(_dir.Path, "fake-nvml.c");
        File.WriteAllText(source, Source);
        var start = new ProcessStartInfo("cc") { RedirectStandardError = true };
        foreach (var arg in new[] { "-shared", "-fPIC", "-o", Path, source }.Concat(defines.Select(d => $"-D{d}")))
        {
            start.ArgumentList.Add(arg);
        }

        using var cc = Process.Start(start)!;
        var errors = cc.StandardError.ReadToEnd();
        cc.WaitForExit();
        if (cc.ExitCode != 0)
        {
            throw new InvalidOperationException($"cc failed to build the fake NVML: {errors}");
        }
    }

    public static bool CompilerAvailable { get; } =
        ProgramLocator.Find("cc", Environment.GetEnvironmentVariable("PATH") ?? "") is not null;

    public string Path => System.IO.Path.Combine(_dir.Path, "libnvidia-ml.so.1");

    public void Dispose() => _dir.Dispose();
}
