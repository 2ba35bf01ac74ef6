#pragma once
// The labs of the course, one file each (LabNN<Name>.cpp); Course.cpp lists them in order.
#include "tlslab/scenarios/course/Lab.hpp"

namespace tlslab::course {

const LabDefinition& lab01Eavesdropping();  // Lab01Eavesdropping.cpp
const LabDefinition& lab02Tampering();      // Lab02Tampering.cpp
const LabDefinition& lab03Mitm();           // Lab03Mitm.cpp (real clients: RealClients.cpp)
const LabDefinition& lab04FirstClient();    // Lab04FirstClient.cpp
const LabDefinition& lab05BeingACa();       // Lab05BeingACa.cpp
const LabDefinition& lab06HostCheck();      // Lab06HostCheck.cpp
const LabDefinition& lab07Server();         // Lab07Server.cpp
// The course, part 2 (issue 14). A lab's entry in course() (Course.cpp) is added with its file.
const LabDefinition& lab08HandshakeAnatomy();  // Lab08HandshakeAnatomy.cpp
const LabDefinition& lab09KeysByHand();        // Lab09KeysByHand.cpp
const LabDefinition& lab10RecordLayer();       // Lab10RecordLayer.cpp
const LabDefinition& lab11ForwardSecrecy();    // Lab11ForwardSecrecy.cpp
const LabDefinition& lab12Resumption();        // Lab12Resumption.cpp
const LabDefinition& lab13Starttls();          // Lab13Starttls.cpp
const LabDefinition& lab14Wrappers();          // Lab14Wrappers.cpp
const LabDefinition& lab15Quic();              // Lab15Quic.cpp (checks: Lab15Checks.cpp)
// Challenges come after the labs, numbered from 20 (slug "forensics": `tlslab lab start forensics`).
const LabDefinition& challenge20Forensics();   // Challenge20Forensics.cpp

}  // namespace tlslab::course
