namespace Hone.Storage.Journal;

/// <summary>The <c>op_code</c> of a journal line: Optuna's <c>JournalOperation</c> (3.1 through 4.x).</summary>
internal enum JournalOperation
{
    CreateStudy = 0,
    DeleteStudy = 1,
    SetStudyUserAttr = 2,
    SetStudySystemAttr = 3,
    CreateTrial = 4,
    SetTrialParam = 5,
    SetTrialStateValues = 6,
    SetTrialIntermediateValue = 7,
    SetTrialUserAttr = 8,
    SetTrialSystemAttr = 9,
}
