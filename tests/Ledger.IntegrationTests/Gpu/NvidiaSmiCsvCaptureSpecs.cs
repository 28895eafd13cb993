using Ledger.Capture.Gpu;
using static Ledger.IntegrationTests.Gpu.NvidiaSmiCaptures;

namespace Ledger.IntegrationTests.Gpu;

/// <summary>
/// The parser against real nvidia-smi output (tests/fixtures/nvidia-smi). Every expected value below
/// was copied by hand from the capture files, not computed.
/// </summary>
public sealed class NvidiaSmiCsvCaptureSpecs
{
    private const string MaskedUuid = "GPU-00000000-0000-0000-0000-000000000000";

    /// <summary>file, phase, index, name, memory.total, memory.used, utilization.gpu, power.draw, temperature.gpu, utilization.encoder, utilization.decoder, fan.speed, display_active.</summary>
    public static IEnumerable<object[]> QueryGpuCells =>
    [
        [Rtx2080Super, "idle", "0", "NVIDIA GeForce RTX 2080 SUPER", "8192 MiB", "214 MiB", "0 %", "39.32 W", "40", "0 %", "0 %", "38 %", "Enabled"],
        [Rtx2080Super, "load", "0", "NVIDIA GeForce RTX 2080 SUPER", "8192 MiB", "819 MiB", "8 %", "111.50 W", "45", "100 %", "0 %", "38 %", "Enabled"],
        [L40S, "idle", "0", "NVIDIA L40S", "46068 MiB", "0 MiB", "100 %", "144.97 W", "63", "0 %", "0 %", "[N/A]", "Disabled"],
        [L40S, "load", "0", "NVIDIA L40S", "46068 MiB", "1235 MiB", "9 %", "110.23 W", "54", "60 %", "0 %", "[N/A]", "Disabled"],
    ];

    /// <summary>The same cells as numbers, units dropped: file, phase, memory.total, memory.used, utilization.gpu, power.draw, temperature.gpu, encoder, decoder, fan.speed.</summary>
    public static IEnumerable<object?[]> QueryGpuNumbers =>
    [
        [Rtx2080Super, "idle", 8192.0, 214.0, 0.0, 39.32, 40.0, 0.0, 0.0, 38.0],
        [Rtx2080Super, "load", 8192.0, 819.0, 8.0, 111.5, 45.0, 100.0, 0.0, 38.0],
        [L40S, "idle", 46068.0, 0.0, 100.0, 144.97, 63.0, 0.0, 0.0, null],
        [L40S, "load", 46068.0, 1235.0, 9.0, 110.23, 54.0, 60.0, 0.0, null],
    ];

    /// <summary>file, phase, gpu_name, gpu_serial, then pid, process_name, used_gpu_memory of each process in order.</summary>
    public static IEnumerable<object[]> ComputeAppsCells =>
    [
        [Rtx2080Super, "idle", "NVIDIA GeForce RTX 2080 SUPER", "[N/A]", Array.Empty<string>()],
        [Rtx2080Super, "load", "NVIDIA GeForce RTX 2080 SUPER", "[N/A]", new[] { "5268", "ffmpeg", "370 MiB", "5267", "ffmpeg", "230 MiB" }],
        [L40S, "idle", "NVIDIA L40S", "0000000000000", Array.Empty<string>()],
        [L40S, "load", "NVIDIA L40S", "0000000000000", new[] { "20037", "ffmpeg", "538 MiB", "20038", "ffmpeg", "681 MiB" }],
    ];

    [Theory]
    [MemberData(nameof(QueryGpuCells))]
    public void A_query_gpu_section_parses_to_the_cells_nvidia_smi_printed(
        string file, string phase, string index, string name, string memoryTotal, string memoryUsed, string utilizationGpu,
        string powerDraw, string temperature, string encoder, string decoder, string fanSpeed, string displayActive)
    {
        var section = Section(file, phase, "--query-gpu=");

        var rows = NvidiaSmiCsv.Parse(section.Output);

        var row = rows.ShouldHaveSingleItem();
        row["index"].ShouldBe(index);
        row["name"].ShouldBe(name);
        row["uuid"].ShouldBe(MaskedUuid);
        row["count"].ShouldBe("1");
        row["memory.total"].ShouldBe(memoryTotal);
        row["memory.used"].ShouldBe(memoryUsed);
        row["utilization.gpu"].ShouldBe(utilizationGpu);
        row["power.draw"].ShouldBe(powerDraw);
        row["temperature.gpu"].ShouldBe(temperature);
        row["utilization.encoder"].ShouldBe(encoder);
        row["utilization.decoder"].ShouldBe(decoder);
        row["fan.speed"].ShouldBe(fanSpeed);
        row["display_active"].ShouldBe(displayActive);
        row["display_mode"].ShouldBe("[Requested functionality has been deprecated]");
        row["platform.peer_type"].ShouldBe("Direct Connected");
        row["platform.chassis_serial_number"].ShouldBe("");
        row["hostname"].ShouldBe("[N/A]");
    }

    [Theory]
    [MemberData(nameof(QueryGpuNumbers))]
    public void Numbers_in_a_query_gpu_section_lose_their_units(
        string file, string phase, double memoryTotal, double memoryUsed, double utilizationGpu, double powerDraw,
        double temperature, double encoder, double decoder, double? fanSpeed)
    {
        var row = NvidiaSmiCsv.Parse(Section(file, phase, "--query-gpu=").Output).ShouldHaveSingleItem();

        NvidiaSmiCsv.Number(row["memory.total"]).ShouldBe(memoryTotal);
        NvidiaSmiCsv.Number(row["memory.used"]).ShouldBe(memoryUsed);
        NvidiaSmiCsv.Number(row["utilization.gpu"]).ShouldBe(utilizationGpu);
        NvidiaSmiCsv.Number(row["power.draw"]).ShouldBe(powerDraw);
        NvidiaSmiCsv.Number(row["temperature.gpu"]).ShouldBe(temperature);
        NvidiaSmiCsv.Number(row["utilization.encoder"]).ShouldBe(encoder);
        NvidiaSmiCsv.Number(row["utilization.decoder"]).ShouldBe(decoder);
        NvidiaSmiCsv.Number(row["fan.speed"]).ShouldBe(fanSpeed);
        NvidiaSmiCsv.Number(row["display_mode"]).ShouldBeNull();
        NvidiaSmiCsv.Number(row["hostname"]).ShouldBeNull();
    }

    [Theory]
    [MemberData(nameof(ComputeAppsCells))]
    public void A_query_compute_apps_section_parses_to_the_processes_nvidia_smi_printed(
        string file, string phase, string gpuName, string gpuSerial, string[] processes)
    {
        var rows = NvidiaSmiCsv.Parse(Section(file, phase, "--query-compute-apps=").Output);

        rows.Count.ShouldBe(processes.Length / 3);
        for (var i = 0; i < rows.Count; i++)
        {
            rows[i]["gpu_name"].ShouldBe(gpuName);
            rows[i]["gpu_serial"].ShouldBe(gpuSerial);
            rows[i]["gpu_uuid"].ShouldBe(MaskedUuid);
            rows[i]["pid"].ShouldBe(processes[3 * i]);
            rows[i]["process_name"].ShouldBe(processes[(3 * i) + 1]);
            rows[i]["used_gpu_memory"].ShouldBe(processes[(3 * i) + 2]);
        }
    }

    [Fact]
    public void Used_memory_of_a_process_loses_its_unit()
    {
        var rows = NvidiaSmiCsv.Parse(Section(L40S, "load", "--query-compute-apps=").Output);

        rows.Select(r => NvidiaSmiCsv.Number(r["used_gpu_memory"])).ShouldBe([538.0, 681.0]);
    }

    [Fact]
    public void Every_query_gpu_and_compute_apps_section_of_every_capture_has_hand_written_expectations()
    {
        var expected = QueryGpuCells.Select(c => $"--query-gpu= {c[0]} {c[1]}")
            .Concat(ComputeAppsCells.Select(c => $"--query-compute-apps= {c[0]} {c[1]}"))
            .Order(StringComparer.Ordinal);

        var found = Queries("--query-gpu=").Select(s => $"--query-gpu= {s.File} {s.Phase}")
            .Concat(Queries("--query-compute-apps=").Select(s => $"--query-compute-apps= {s.File} {s.Phase}"))
            .Order(StringComparer.Ordinal);

        found.ShouldBe(expected);
        Files.Count.ShouldBeGreaterThanOrEqualTo(2);
    }

    [Fact]
    public void Every_query_section_parses_to_as_many_fields_as_the_query_asked_for()
    {
        var sections = Queries("--query-").ToList();
        sections.Count.ShouldBeGreaterThanOrEqualTo(16);

        foreach (var section in sections)
        {
            // The field list of the command line, e.g. --query-gpu=timestamp,driver_version,...
            var asked = section.Command.Split(' ').Single(a => a.StartsWith("--query-", StringComparison.Ordinal)).Split('=', 2)[1].Split(',');
            var header = section.Output.Split('\n')[0];

            NvidiaSmiCsv.ParseHeader(header).Count.ShouldBe(asked.Length, section.ToString());
            header.Split(", ").Length.ShouldBe(asked.Length, section.ToString());
            foreach (var row in NvidiaSmiCsv.Parse(section.Output))
            {
                row.Count.ShouldBe(asked.Length, section.ToString());
            }
        }
    }

    [Fact]
    public void Query_gpu_and_compute_apps_headers_name_the_fields_as_the_query_does_without_units()
    {
        // This is what lets a noheader query use its own field list as the column names.
        foreach (var section in Queries("--query-gpu=").Concat(Queries("--query-compute-apps=")))
        {
            var asked = section.Command.Split(' ').Single(a => a.StartsWith("--query-", StringComparison.Ordinal)).Split('=', 2)[1].Split(',');

            NvidiaSmiCsv.ParseHeader(section.Output.Split('\n')[0]).ShouldBe(asked, section.ToString());
        }
    }
}
