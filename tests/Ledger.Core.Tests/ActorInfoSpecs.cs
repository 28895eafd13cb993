using Ledger.Core.Events;

namespace Ledger.Core.Tests;

public class ActorInfoSpecs
{
    [Fact]
    public void Root_under_sudo_is_the_user_who_ran_sudo()
    {
        // Act
        var actor = ActorInfo.Resolve(Env(("SUDO_USER", "alice")), "root");

        // Assert
        actor.ShouldBe("alice");
    }

    [Fact]
    public void Root_without_sudo_is_root()
    {
        // Act
        var actor = ActorInfo.Resolve(Env(), "root");

        // Assert
        actor.ShouldBe("root");
    }

    [Fact]
    public void A_user_who_is_not_root_is_themselves_whatever_SUDO_USER_says()
    {
        // Act
        var actor = ActorInfo.Resolve(Env(("SUDO_USER", "alice")), "ledger");

        // Assert
        actor.ShouldBe("ledger");
    }

    [Fact]
    public void Root_under_sudo_from_root_is_root()
    {
        // Act
        var actor = ActorInfo.Resolve(Env(("SUDO_USER", "root")), "root");

        // Assert
        actor.ShouldBe("root");
    }

    [Fact]
    public void A_blank_SUDO_USER_is_ignored()
    {
        // Act
        var actor = ActorInfo.Resolve(Env(("SUDO_USER", " ")), "root");

        // Assert
        actor.ShouldBe("root");
    }

    private static Func<string, string?> Env(params (string Name, string Value)[] variables)
    {
        var values = variables.ToDictionary(v => v.Name, v => v.Value, StringComparer.Ordinal);
        return name => values.GetValueOrDefault(name);
    }
}
