using Ledger.Capture;
using Ledger.Capture.Gpu;

namespace Ledger.IntegrationTests.Gpu;

/// <summary>
/// The parser against the documented format: cases the two captures do not show (several GPUs,
/// MIG, unsupported metrics, truncated output), written by hand in nvidia-smi's shape.
/// </summary>
public sealed class NvidiaSmiCsvSpecs
{
    private static readonly string[] GpuFields =
    [
        "index", "name", "uuid", "utilization.gpu", "utilization.memory", "memory.total", "memory.used",
        "memory.free", "temperature.gpu", "power.draw", "utilization.encoder", "utilization.decoder",
    ];

    [Fact]
    public void Noheader_nounits_output_gives_one_row_per_GPU_keyed_by_the_fields_asked_for()
    {
        const string output =
            "0, NVIDIA GeForce RTX 3090, GPU-5a2e8d4c-1f7b-3c9a-8e21-0d6f4b7a9c13, 35, 12, 24576, 1024, 23276, 45, 120.50, 0, 0\n" +
            "1, Tesla T4, GPU-b81c2e90-44d1-7aa3-05c2-9e8f1d3a6b57, 0, 0, 15360, 0, 14930, 31, 9.87, 0, 0\n";

        var rows = NvidiaSmiCsv.Parse(output, GpuFields);

        rows.Count.ShouldBe(2);
        rows[0]["index"].ShouldBe("0");
        rows[0]["name"].ShouldBe("NVIDIA GeForce RTX 3090");
        rows[0]["power.draw"].ShouldBe("120.50");
        rows[1]["index"].ShouldBe("1");
        rows[1]["name"].ShouldBe("Tesla T4");
        rows[1]["uuid"].ShouldBe("GPU-b81c2e90-44d1-7aa3-05c2-9e8f1d3a6b57");
        rows[1]["memory.total"].ShouldBe("15360");
        NvidiaSmiCsv.Number(rows[1]["power.draw"]).ShouldBe(9.87);
    }

    [Fact]
    public void Real_noheader_nounits_output_of_an_H200_parses()
    {
        // Printed by nvidia-smi on an H200 (this branch's device check) with a CUDA context holding 1 GiB.
        const string output = "0, NVIDIA H200, GPU-6bd4d6e1-4195-52f0-0b57-52ec2a616d15, 0, 0, 143771, 1551, 141606, 36, 84.45, 0, 0\n";

        var row = NvidiaSmiCsv.Parse(output, GpuFields).ShouldHaveSingleItem();

        row["name"].ShouldBe("NVIDIA H200");
        NvidiaSmiCsv.Number(row["memory.total"]).ShouldBe(143771);
        NvidiaSmiCsv.Number(row["memory.used"]).ShouldBe(1551);
        NvidiaSmiCsv.Number(row["power.draw"]).ShouldBe(84.45);
    }

    [Theory]
    [InlineData("[N/A]")]
    [InlineData("N/A")]
    [InlineData("[Not Supported]")]
    [InlineData("[Unknown Error]")]
    [InlineData("[Insufficient Permissions]")]
    [InlineData("[Requested functionality has been deprecated]")]
    [InlineData("[GPU requires reset]")]
    [InlineData("")]
    public void A_cell_without_a_value_is_a_null_number(string cell)
    {
        NvidiaSmiCsv.IsMissing(cell).ShouldBeTrue();
        NvidiaSmiCsv.Number(cell).ShouldBeNull();
    }

    [Theory]
    [InlineData("1234 MiB", 1234)]
    [InlineData("45 %", 45)]
    [InlineData("70.52 W", 70.52)]
    [InlineData("1410 MHz", 1410)]
    [InlineData("212553937 us", 212553937)]
    [InlineData("45", 45)]
    [InlineData("120.50", 120.5)]
    [InlineData("45%", 45)]
    public void A_number_drops_its_unit(string cell, double expected)
    {
        NvidiaSmiCsv.Number(cell).ShouldBe(expected);
    }

    [Theory]
    [InlineData("Enabled")]
    [InlineData("Disabled")]
    [InlineData("P8")]
    public void Text_where_a_number_belongs_is_an_error_naming_the_field(string cell)
    {
        var e = Should.Throw<CaptureException>(() => NvidiaSmiCsv.Number(cell, "utilization.gpu"));

        e.Message.ShouldContain(cell);
        e.Message.ShouldContain("utilization.gpu");
    }

    [Fact]
    public void Not_supported_and_not_available_cells_parse_and_read_as_null()
    {
        const string output =
            "index, name, power.draw [W], utilization.encoder [%], fan.speed [%], temperature.gpu\n" +
            "0, NVIDIA A10G, [Not Supported], [N/A], [N/A], 31\n";

        var row = NvidiaSmiCsv.Parse(output).ShouldHaveSingleItem();

        row["power.draw"].ShouldBe("[Not Supported]");
        NvidiaSmiCsv.Number(row["power.draw"]).ShouldBeNull();
        NvidiaSmiCsv.Number(row["utilization.encoder"]).ShouldBeNull();
        NvidiaSmiCsv.Number(row["fan.speed"]).ShouldBeNull();
        NvidiaSmiCsv.Number(row["temperature.gpu"]).ShouldBe(31);
    }

    [Fact]
    public void A_name_with_spaces_stays_one_cell()
    {
        const string output = "name, memory.total [MiB]\nNVIDIA GeForce RTX 4090 Laptop GPU, 16376 MiB\n";

        var row = NvidiaSmiCsv.Parse(output).ShouldHaveSingleItem();

        row["name"].ShouldBe("NVIDIA GeForce RTX 4090 Laptop GPU");
        row["memory.total"].ShouldBe("16376 MiB");
    }

    [Fact]
    public void Header_names_lose_their_unit_suffix()
    {
        NvidiaSmiCsv.ParseHeader("memory.used [MiB], utilization.gpu [%], power.draw [W], clocks.sm [MHz], name, temperature.gpu")
            .ShouldBe(["memory.used", "utilization.gpu", "power.draw", "clocks.sm", "name", "temperature.gpu"]);
    }

    [Fact]
    public void MIG_enabled_GPUs_read_null_utilization()
    {
        // With MIG on, nvidia-smi cannot give whole-GPU utilization and prints [N/A].
        const string output =
            "index, name, utilization.gpu [%], utilization.memory [%], memory.used [MiB], mig.mode.current\n" +
            "0, NVIDIA A100-SXM4-40GB, [N/A], [N/A], 13 MiB, Enabled\n" +
            "1, NVIDIA A100-SXM4-40GB, 87 %, 41 %, 30211 MiB, Disabled\n";

        var rows = NvidiaSmiCsv.Parse(output);

        rows.Count.ShouldBe(2);
        rows[0]["mig.mode.current"].ShouldBe("Enabled");
        NvidiaSmiCsv.Number(rows[0]["utilization.gpu"]).ShouldBeNull();
        NvidiaSmiCsv.Number(rows[0]["utilization.memory"]).ShouldBeNull();
        NvidiaSmiCsv.Number(rows[0]["memory.used"]).ShouldBe(13);
        NvidiaSmiCsv.Number(rows[1]["utilization.gpu"]).ShouldBe(87);
    }

    [Fact]
    public void A_last_line_cut_short_is_a_clear_error_not_an_index_error()
    {
        const string output =
            "index, name, uuid, memory.used [MiB]\n" +
            "0, NVIDIA GeForce RTX 2080 SUPER, GPU-00000000-0000-0000-0000-000000000000, 214 MiB\n" +
            "1, NVIDIA GeForce RTX 2080 SUPER, GPU-0000";

        var e = Should.Throw<CaptureException>(() => NvidiaSmiCsv.Parse(output));

        e.Message.ShouldContain("line 3");
        e.Message.ShouldContain("3 of the 4 fields");
        e.Message.ShouldContain("truncated");
    }

    [Fact]
    public void A_noheader_line_cut_short_is_a_clear_error()
    {
        const string output = "0, NVIDIA H200, GPU-6bd4d6e1-4195-52f0-0b57-52ec2a616d15, 0, 0, 143771\n";

        var e = Should.Throw<CaptureException>(() => NvidiaSmiCsv.Parse(output, GpuFields));

        e.Message.ShouldContain("line 1 has 6 of the 12 fields");
        e.Message.ShouldContain("truncated");
    }

    [Theory]
    [InlineData("")]
    [InlineData("\n")]
    public void Empty_output_is_a_clear_error(string output)
    {
        Should.Throw<CaptureException>(() => NvidiaSmiCsv.Parse(output)).Message.ShouldContain("printed nothing");
        Should.Throw<CaptureException>(() => NvidiaSmiCsv.Parse(output, GpuFields)).Message.ShouldContain("printed nothing");
    }

    [Fact]
    public void Empty_output_of_a_process_query_means_no_processes()
    {
        NvidiaSmiCsv.Parse("", ["gpu_uuid", "pid"], emptyMeansNoRows: true).ShouldBeEmpty();
    }

    [Fact]
    public void A_process_name_holding_the_separator_is_taken_back_whole()
    {
        const string output = "GPU-6bd4d6e1-4195-52f0-0b57-52ec2a616d15, 4242, /opt/app, v2/bin/worker, 512\n";

        var row = NvidiaSmiCsv.Parse(output, ["gpu_uuid", "pid", "process_name", "used_gpu_memory"], freeTextField: "process_name")
            .ShouldHaveSingleItem();

        row["process_name"].ShouldBe("/opt/app, v2/bin/worker");
        row["used_gpu_memory"].ShouldBe("512");
    }

    [Fact]
    public void Extra_cells_without_a_free_text_field_are_an_error()
    {
        Should.Throw<CaptureException>(() => NvidiaSmiCsv.Parse("0, 1, 2\n", ["a", "b"])).Message.ShouldContain("3 cells for 2 fields");
    }

    [Fact]
    public void Windows_line_endings_are_accepted()
    {
        var row = NvidiaSmiCsv.Parse("index, memory.used [MiB]\r\n0, 214 MiB\r\n").ShouldHaveSingleItem();

        row["memory.used"].ShouldBe("214 MiB");
    }
}
