namespace Hone.Studies;

/// <summary>Whether an objective is to be minimized or maximized.</summary>
public enum StudyDirection
{
    /// <summary>Smaller is better.</summary>
    Minimize = 1,

    /// <summary>Larger is better.</summary>
    Maximize = 2,
}
