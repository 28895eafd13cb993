using System.Text;
using System.Text.Json;
using Ledger.Capture.Git;
using Ledger.IntegrationTests.Support;

namespace Ledger.IntegrationTests;

/// <summary>
/// An import reads commits on reader threads and redacts them on others (issue 19): a commit read
/// but not yet redacted (<see cref="GitHistoryReader.PendingEdit"/>) must finish into exactly the
/// event <see cref="GitHistoryReader.Read"/> gives, without the repository: it is finished after
/// its reader has moved on, or been closed.
/// </summary>
public sealed class PendingEditSpecs : IDisposable
{
    private readonly GitRepo _repo = new();

    public void Dispose() => _repo.Dispose();

    [Fact]
    public async Task A_commit_finished_on_another_thread_after_its_repository_is_gone_is_the_event_Read_gives()
    {
        // Arrange: secrets in patches and messages, a patch over the per-file limit, a binary
        // file, text that is not UTF-8, a purpose and notes given with the commit.
        var shas = new List<string>();
        _repo.Write("secrets.nix", "{ services.grafana.settings.security.admin_password = \"grafana-Hunter2-s3cret\"; }\n");
        _repo.WriteBytes("logo.png", [0x89, 0x50, 0x4E, 0x47, 0, 0, 0, 1, 2, 3]);
        shas.Add(_repo.Commit("Grafana with password=commit-message-s3cret"));

        _repo.Write("big.nix", string.Concat(Enumerable.Range(0, 12_000).Select(i => $"  line{i} = \"value number {i}\";\n")) + "token = \"at-the-end-s3cret\"\n");
        _repo.WriteBytes("latin1.conf", Encoding.Latin1.GetBytes("caf\u00e9 = 1\n"));
        shas.Add(_repo.Commit("A big file and one in Latin-1"));

        _repo.Write("secrets.nix", "{ services.grafana.settings.security.admin_password = \"grafana-rotated-s3cret\"; }\n");
        shas.Add(_repo.Commit("Rotate"));

        using (var fresh = GitHistoryReader.Open(_repo.Path))
        {
            var expected = shas.Select(sha => JsonSerializer.Serialize(fresh.Read(sha, "host", "actor", purpose: " purpose with pass: given-s3cret ", notes: "notes"))).ToList();

            List<GitHistoryReader.PendingEdit> pending;
            using (var reader = GitHistoryReader.Open(_repo.Path))
            {
                pending = shas.Select(sha => reader.ReadPending(sha, "host", "actor", purpose: " purpose with pass: given-s3cret ", notes: "notes")).ToList();
            }

            // Act: the reader is closed and its repository deleted before anything is finished.
            Directory.Delete(_repo.Path, recursive: true);
            var finished = await Task.Run(() => pending.Select(p => JsonSerializer.Serialize(p.Finish())).ToList());

            // Assert
            finished.ShouldBe(expected);
            var all = string.Join("\n", finished);
            all.ShouldNotContain("s3cret");
            all.ShouldContain("patch truncated by Ledger");
            all.ShouldContain("not UTF-8");
        }
    }
}
