; Inno Setup 6 recipe (UTF-8 with a BOM, as Inno Setup reads non-ASCII text): one Pandore-X-setup.exe that a school hands out or deploys.
;
; Built by `python packaging\build.py --installer` on Windows, after the
; standalone folder (dist\pandore): it passes /DAppVersion, /DAppFolder and
; /DOutputDir. By hand: iscc /DAppVersion=0.1.0 packaging\windows\pandore.iss
;
; Installs for all users into C:\Program Files\Pandore (administrator), or
; for the current user alone with /CURRENTUSER (no administrator needed).
; Silent, for a classroom (see the README, "Pour les établissements"):
;   Pandore-0.1.0-setup.exe /VERYSILENT /SUPPRESSMSGBOXES /NORESTART /TASKS="schoolscenarios"
; Uninstall, silent: "C:\Program Files\Pandore\unins000.exe" /VERYSILENT /SUPPRESSMSGBOXES
;
; Nothing personal is written here: settings, saves and sessions live in each
; user's own folders (%LOCALAPPDATA%\pandore, Documents\Pandore), which the
; uninstaller leaves alone, like the school's scenario folder.

#ifndef AppVersion
  #define AppVersion "0.0.0"
#endif
#ifndef AppFolder
  #define AppFolder "..\..\dist\pandore"
#endif
#ifndef OutputDir
  #define OutputDir "..\..\dist"
#endif

[Setup]
; The AppId identifies Pandore across versions: an update installs over the previous one. Never change it.
AppId={{6F0B6C3E-2D4A-4E0B-9C55-5A1D2E7B9F10}
AppName=Pandore
AppVersion={#AppVersion}
AppVerName=Pandore {#AppVersion}
AppPublisher=Pandore
DefaultDirName={autopf}\Pandore
DefaultGroupName=Pandore
DisableProgramGroupPage=yes
PrivilegesRequired=admin
PrivilegesRequiredOverridesAllowed=commandline dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
OutputDir={#OutputDir}
OutputBaseFilename=Pandore-{#AppVersion}-setup
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
LicenseFile=..\..\LICENSE
UninstallDisplayIcon={app}\pandore.exe
UninstallDisplayName=Pandore {#AppVersion}
; PANDORE_SCENARIOS is set machine-wide by the "schoolscenarios" task.
ChangesEnvironment=yes
CloseApplications=yes
#ifexist "..\..\build\pandore.ico"
SetupIconFile=..\..\build\pandore.ico
#endif

[Languages]
Name: "fr"; MessagesFile: "compiler:Languages\French.isl"
Name: "en"; MessagesFile: "compiler:Default.isl"

[CustomMessages]
fr.SchoolScenarios=Dossier de scénarios de l'établissement (C:\ProgramData\Pandore\scenarios), lu par tous les comptes
en.SchoolScenarios=The school's scenario folder (C:\ProgramData\Pandore\scenarios), read by every account
fr.Trainers=Formateurs et formatrices :
en.Trainers=Trainers:

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"
Name: "schoolscenarios"; Description: "{cm:SchoolScenarios}"; GroupDescription: "{cm:Trainers}"; Check: IsAdminInstallMode

[Files]
; The whole standalone folder: pandore.exe (console: the commands), pandorew.exe (the window, for shortcuts), _internal\.
Source: "{#AppFolder}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[InstallDelete]
; An update replaces the folder's libraries entirely: no file of an older version lingers.
Type: filesandordirs; Name: "{app}\_internal"

[Dirs]
; The school's own scenarios: kept on uninstall, writable by administrators, readable by all.
Name: "{commonappdata}\Pandore\scenarios"; Tasks: schoolscenarios; Flags: uninsneveruninstall

[Registry]
Root: HKLM; Subkey: "SYSTEM\CurrentControlSet\Control\Session Manager\Environment"; ValueType: expandsz; ValueName: "PANDORE_SCENARIOS"; ValueData: "{commonappdata}\Pandore\scenarios"; Flags: createvalueifdoesntexist uninsdeletevalue; Tasks: schoolscenarios

[Icons]
; Started in the program's folder, so that ./scenarios means nothing unexpected.
Name: "{autoprograms}\Pandore"; Filename: "{app}\pandorew.exe"; WorkingDir: "{app}"
Name: "{autodesktop}\Pandore"; Filename: "{app}\pandorew.exe"; WorkingDir: "{app}"; Tasks: desktopicon

[Run]
Filename: "{app}\pandorew.exe"; Description: "{cm:LaunchProgram,Pandore}"; Flags: nowait postinstall skipifsilent
